/** registry.* handlers. */
import type { registryMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { manifestReport } from './manifest'
import type { AgentDeps } from '../runtime/types'

export function registryHandlers({ docker }: AgentDeps): HandlersFor<typeof registryMethods, RequestContext> {
  return {
    'registry.manifest': async ({ reference, platform }) => manifestReport(docker, reference, platform),
  }
}
