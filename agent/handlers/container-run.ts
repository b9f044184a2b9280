/** container-run handlers. */
import type { containerRunMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function containerRunHandlers(_deps: AgentDeps): HandlersFor<typeof containerRunMethods> {
  return {}
}
