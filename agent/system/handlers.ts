/** system.* handlers: disk use and confirmed prunes. */
import type { systemMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { pruneConfirmed, prunePreview } from './disk-prune'
import { readDiskUsage } from './disk-usage'
import type { AgentDeps } from '../runtime/types'

export function systemHandlers({ docker }: AgentDeps): HandlersFor<typeof systemMethods, RequestContext> {
  return {
    'system.df': async () => readDiskUsage(docker),
    'system.prunePreview': async ({ kind }) => prunePreview(docker, kind),
    'system.prune': async ({ kind, ids }) => pruneConfirmed(docker, kind, ids),
  }
}
