/** volumes.* handlers. */
import type { volumeMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { containerMounts, createVolume, listVolumes, prunePreview, pruneVolumes, removeVolume } from './ops'
import type { AgentDeps } from '../runtime/types'

export function volumeHandlers({ docker }: AgentDeps): HandlersFor<typeof volumeMethods, RequestContext> {
  return {
    'volumes.list': async () => listVolumes(docker),
    'volumes.create': async (params) => createVolume(docker, params),
    'volumes.remove': async ({ name, force }) => removeVolume(docker, name, force),
    'volumes.prunePreview': async () => prunePreview(docker),
    'volumes.prune': async ({ names }) => pruneVolumes(docker, names),
    'volumes.forContainer': async ({ container }) => containerMounts(docker, container),
  }
}
