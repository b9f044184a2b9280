/** logs.read, logs.follow and logs.unfollow. */
import type { logMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { readLogs } from './container-logs'
import { LogFollows } from './follow'
import type { AgentDeps } from '../runtime/types'

export function logHandlers(deps: AgentDeps): HandlersFor<typeof logMethods, RequestContext> {
  const follows = new LogFollows(deps.docker)
  return {
    'logs.read': (params, ctx) => readLogs(deps.docker, params, ctx.signal),
    'logs.follow': (params, ctx) => follows.start(ctx.peer, params),
    'logs.unfollow': async ({ followId }, ctx) => ({ stopped: follows.stop(ctx.peer, followId) }),
  }
}
