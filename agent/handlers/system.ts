/** system.* handlers. */
import type { systemMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function systemHandlers(_deps: AgentDeps): HandlersFor<typeof systemMethods> {
  return {}
}
