/** agent.ping, engine.info and the event subscription. */
import { engineMethods, type HandlersFor } from '../../protocol/schema'
import { normalizeArch } from '../../protocol/platform'
import type { RequestContext } from '../../protocol/wire/peer'
import { emulatedArchitectures } from './binfmt'
import type { AgentDeps } from '../runtime/types'

export function engineHandlers(deps: AgentDeps): HandlersFor<typeof engineMethods, RequestContext> {
  const { docker, events } = deps
  const subscribed = new WeakMap<object, () => void>()
  return {
    'agent.ping': async () => ({ version: deps.version, arch: process.arch, node: process.version }),
    'engine.info': async () => {
      // binfmt_misc is this machine's: only meaningful where the agent runs on the engine's host
      const [version, info, emulated] = await Promise.all([docker.version(), docker.info(), deps.onHost ? emulatedArchitectures() : []])
      const components = (version as { Components?: Array<{ Name?: string }> }).Components
      return {
        arch: normalizeArch(version.Arch),
        os: version.Os,
        engineVersion: version.Version,
        apiVersion: version.ApiVersion,
        hostname: String(info.Name ?? ''),
        engineName: components?.[0]?.Name ?? 'Engine',
        operatingSystem: info.OperatingSystem,
        kernelVersion: info.KernelVersion,
        cpus: info.NCPU,
        memoryBytes: info.MemTotal,
        storageDriver: info.Driver,
        rootDir: info.DockerRootDir,
        containers: {
          total: info.Containers,
          running: info.ContainersRunning,
          paused: info.ContainersPaused,
          stopped: info.ContainersStopped,
        },
        images: info.Images,
        ...(emulated.length ? { emulated } : {}),
      }
    },
    'events.subscribe': async (_params, ctx) => {
      const peer = ctx.peer
      if (!subscribed.has(peer)) {
        const unsubscribe = events.subscribe({
          containerChanged: (change) => peer.emitEvent('container.stateChanged', change),
          engineState: (available, message) =>
            peer.emitEvent('engine.stateChanged', message === undefined ? { available } : { available, message }),
          objectChanged: (change) => peer.emitEvent('engine.objectChanged', change),
        })
        subscribed.set(peer, unsubscribe)
        peer.once('close', unsubscribe)
      }
      return { subscribed: true }
    },
  }
}
