/** transfer.* handlers: image tar streams to and from main, served to main only. */
import type { transferAgentMethods, HandlersFor } from '../../protocol/schema'
import { buildFrom } from './build'
import { exportInto, importFrom, loadFrom, saveInto } from './transfer'
import type { DataStream } from '../../protocol/wire/data-stream'
import type { RequestContext } from '../../protocol/wire/peer'
import type { AgentDeps } from '../runtime/types'

/** A new stream to main, started by `start`; ended at once when the engine refuses. */
async function streamed(ctx: RequestContext, start: (stream: DataStream) => Promise<void>): Promise<number> {
  const stream = ctx.peer.openStream()
  try {
    await start(stream)
  } catch (err) {
    stream.end()
    throw err
  }
  return stream.id
}

export function transferHandlers({ docker }: AgentDeps): HandlersFor<typeof transferAgentMethods, RequestContext> {
  return {
    'transfer.save': async ({ images }, ctx) => ({ streamId: await streamed(ctx, (stream) => saveInto(docker, images, stream)) }),
    'transfer.export': async ({ container }, ctx) => ({ streamId: await streamed(ctx, (stream) => exportInto(docker, container, stream)) }),
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
