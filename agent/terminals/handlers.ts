/** session.* handlers: terminal processes on the host, served to main only. */
import type { sessionMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import type { AgentDeps } from '../runtime/types'

export function sessionHandlers({ sessions }: AgentDeps): HandlersFor<typeof sessionMethods, RequestContext> {
  return {
    'session.open': async (spec, ctx) => {
      const session = await sessions.open(spec)
      const { stream } = session.watch(ctx.peer, 0)
      return { ...session.info, streamId: stream.id }
    },
    'session.resume': async ({ sessionId, fromOffset }, ctx) => {
      const session = sessions.get(sessionId)
      const { stream, gapBytes } = session.watch(ctx.peer, fromOffset)
      return { ...session.info, streamId: stream.id, gapBytes }
    },
    'session.input': async ({ sessionId, data }) => {
      sessions.get(sessionId).write(data)
      return {}
    },
    'session.resize': async ({ sessionId, cols, rows }) => {
      await sessions.get(sessionId).resize(cols, rows)
      return {}
    },
    'session.close': async ({ sessionId }) => {
      sessions.get(sessionId).close()
      return {}
    },
    'session.list': async () => sessions.list().map((s) => s.info),
    'session.replay': async ({ sessionId }) => sessions.get(sessionId).replayText(),
  }
}
