/** stats.subscribe / stats.unsubscribe: each connection joins or leaves the agent's one sampler. */
import { DEFAULT_STATS_INTERVAL_MS, type statMethods, type HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { StatsSampler } from './sampler'
import type { AgentDeps } from '../runtime/types'

export function statHandlers(deps: AgentDeps): HandlersFor<typeof statMethods, RequestContext> {
  const sampler = new StatsSampler(deps.docker, deps.events)
  const watched = new WeakSet<object>()
  return {
    'stats.subscribe': async ({ intervalMs }, ctx) => {
      const peer = ctx.peer
      // a connection that drops without unsubscribing leaves too
      if (!watched.has(peer)) {
        watched.add(peer)
        peer.once('close', () => sampler.unsubscribe(peer))
      }
      const effective = sampler.subscribe(peer, {
        intervalMs: intervalMs ?? DEFAULT_STATS_INTERVAL_MS,
        emit: (sample) => peer.emitEvent('stats.sample', sample),
      })
      return { intervalMs: effective }
    },
    'stats.unsubscribe': async (_params, ctx) => {
      sampler.unsubscribe(ctx.peer)
      return { subscribed: false }
    },
  }
}
