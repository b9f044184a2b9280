/**
 * The agent's allow-listed method table. Every method is declared in protocol/schema.ts;
 * params are validated here before any handler runs, and engine errors become values.
 */
import type Docker from 'dockerode'
import type { z } from 'zod'
import { BerthError } from '../protocol/errors'
import { type AgentMethod, agentMethods, isAgentMethod } from '../protocol/schema'
import { parseOrThrow } from '../protocol/validate'
import type { RequestContext, RequestHandler } from '../protocol/wire/peer'
import { listContainers, startContainer, stopContainer } from './containers'
import type { EngineEvents } from './engine-events'
import { mapEngineError } from './engine-errors'

type Handler<M extends AgentMethod> = (
  params: z.output<(typeof agentMethods)[M]['params']>,
  ctx: RequestContext,
) => Promise<z.input<(typeof agentMethods)[M]['result']>>

export type HandlerTable = { [M in AgentMethod]: Handler<M> }

export interface AgentDeps {
  docker: Docker
  events: EngineEvents
  endpoint: string
  version: string
}

export function createHandlers(deps: AgentDeps): HandlerTable {
  const { docker, events } = deps
  const subscribed = new WeakMap<object, () => void>()
  return {
    'agent.ping': async () => ({ version: deps.version }),
    'engine.info': async () => {
      const [version, info] = await Promise.all([docker.version(), docker.info()])
      return {
        arch: dockerArch(version.Arch),
        os: version.Os,
        engineVersion: version.Version,
        apiVersion: version.ApiVersion,
        hostname: String(info.Name ?? ''),
      }
    },
    'events.subscribe': async (_params, ctx) => {
      const peer = ctx.peer
      if (!subscribed.has(peer)) {
        const unsubscribe = events.subscribe({
          containerChanged: (change) => peer.emitEvent('container.stateChanged', change),
          engineState: (available, message) =>
            peer.emitEvent('engine.stateChanged', message === undefined ? { available } : { available, message }),
        })
        subscribed.set(peer, unsubscribe)
        peer.once('close', unsubscribe)
      }
      return { subscribed: true }
    },
    'containers.list': async () => listContainers(docker),
    'containers.start': async ({ id }) => startContainer(docker, id),
    'containers.stop': async ({ id, timeoutSeconds }) => stopContainer(docker, id, timeoutSeconds),
  }
}

/** Docker names 32-bit ARM "arm"; Raspberry Pi users know it as armv7. */
function dockerArch(goArch: string): string {
  return goArch === 'arm' ? 'armv7' : goArch
}

export function createDispatcher(table: HandlerTable, endpoint: string): RequestHandler {
  return async (method, params, ctx) => {
    if (!isAgentMethod(method)) throw new BerthError('UNSUPPORTED', `the agent has no method ${method}`)
    const spec = agentMethods[method]
    const parsed = parseOrThrow(spec.params, params, `parameters for ${method}`)
    try {
      return await (table[method] as (p: unknown, c: RequestContext) => Promise<unknown>)(parsed, ctx)
    } catch (err) {
      throw mapEngineError(err, endpoint)
    }
  }
}
