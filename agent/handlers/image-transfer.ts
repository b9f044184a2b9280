/** transfer.* handlers: image tar streams to and from main, served to main only. */
import type { transferAgentMethods } from '../../protocol/schema'
import { buildFrom } from '../image-build'
import { importFrom, loadFrom, saveInto } from '../image-transfer'
import type { AgentDeps, HandlersFor } from './types'

export function transferHandlers({ docker }: AgentDeps): HandlersFor<typeof transferAgentMethods> {
  return {
    'transfer.save': async ({ images }, ctx) => {
      const stream = ctx.peer.openStream()
      try {
        await saveInto(docker, images, stream)
      } catch (err) {
        stream.end()
        throw err
      }
      return { streamId: stream.id }
    },
    'transfer.load': async ({ streamId }, ctx) => ({ loaded: await loadFrom(docker, ctx.peer.acceptStream(streamId, { manualAck: true })) }),
    'transfer.build': async ({ streamId, ...options }, ctx) => ({
      imageId: await buildFrom(docker, ctx.peer.acceptStream(streamId, { manualAck: true }), options, (text) =>
        ctx.peer.emitEvent('transfer.buildOutput', { streamId, text }),
      ),
    }),
    'transfer.import': async ({ streamId, ...options }, ctx) => ({
      id: await importFrom(docker, ctx.peer.acceptStream(streamId, { manualAck: true }), options),
    }),
  }
}
