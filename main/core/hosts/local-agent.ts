/**
 * The local host's agent: the same bundle, run as a child process of this app and spoken
 * to over its stdio with the same protocol. Under Electron, ELECTRON_RUN_AS_NODE makes the
 * app's own binary act as Node, so no separate Node.js install is needed.
 */
import { spawn } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { Duplex } from 'node:stream'
import { resolveEngineEndpoint } from '../../../agent/engine/endpoint'

/** Whether this machine has an engine the agent could reach (DOCKER_HOST, else the default socket). */
export async function localEngineExists(env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const endpoint = resolveEngineEndpoint(env)
    if (!('socketPath' in endpoint)) return true
    return (await stat(endpoint.socketPath)).isSocket()
  } catch {
    return false
  }
}

export function startLocalAgent(agentFile: string, env: NodeJS.ProcessEnv): { transport: Duplex; stop: () => void; stderr: () => string } {
  const child = spawn(process.execPath, [agentFile, '--stdio'], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4096)
  })
  const transport = Duplex.from({ readable: child.stdout, writable: child.stdin })
  child.on('exit', () => transport.destroy())
  return { transport, stop: () => child.kill(), stderr: () => stderr }
}
