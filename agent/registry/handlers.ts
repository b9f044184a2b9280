/** registry.* handlers. */
import type { registryMethods } from '../../protocol/schema'
import { manifestReport } from './manifest'
import type { AgentDeps, HandlersFor } from '../runtime/types'

export function registryHandlers({ docker }: AgentDeps): HandlersFor<typeof registryMethods> {
  return {
    'registry.manifest': async ({ reference, platform }) => manifestReport(docker, reference, platform),
  }
}
