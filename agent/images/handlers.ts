/** images.* handlers. */
import { BerthError } from '../../protocol/errors'
import type { imageMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { inspectImage } from './inspect'
import { listImages, PlatformCache } from './list'
import { pullImage } from './pull'
import { pruneDangling, removeImage, tagImage, untagImage } from './remove'
import type { AgentDeps } from '../runtime/types'

export function imageHandlers({ docker, endpoint }: AgentDeps): HandlersFor<typeof imageMethods, RequestContext> {
  const platforms = new PlatformCache(docker)
  /** Pulls in flight by the caller's pull id, so images.pullCancel can stop one. */
  const pulls = new Map<string, AbortController>()
  return {
    'images.list': async () => listImages(docker, platforms),
    'images.inspect': async ({ image }) => inspectImage(docker, image),
    'images.pull': async ({ pullId, reference, platform, auth }, ctx) => {
      if (pulls.has(pullId)) throw new BerthError('CONFLICT', `a pull with id ${pullId} is already running`)
      const controller = new AbortController()
      const cancel = (): void => controller.abort()
      ctx.signal.addEventListener('abort', cancel, { once: true })
      pulls.set(pullId, controller)
      try {
        return await pullImage(docker, endpoint, {
          pullId,
          reference,
          ...(platform ? { platform } : {}),
          ...(auth ? { auth } : {}),
          signal: controller.signal,
          emit: (progress) => ctx.peer.emitEvent('image.pullProgress', progress),
        })
      } finally {
        pulls.delete(pullId)
        ctx.signal.removeEventListener('abort', cancel)
      }
    },
    'images.pullCancel': async ({ pullId }) => {
      const controller = pulls.get(pullId)
      controller?.abort()
      return { cancelled: controller !== undefined }
    },
    'images.tag': async ({ image, target }) => tagImage(docker, image, target),
    'images.untag': async ({ reference }) => untagImage(docker, reference),
    'images.remove': async ({ image }) => removeImage(docker, image),
    'images.pruneDangling': async ({ preview }) => pruneDangling(docker, preview),
  }
}
