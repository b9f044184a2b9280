/** logs handlers. */
import type { logMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function logHandlers(_deps: AgentDeps): HandlersFor<typeof logMethods> {
  return {}
}
