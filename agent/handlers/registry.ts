/** registry handlers. */
import type { registryMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function registryHandlers(_deps: AgentDeps): HandlersFor<typeof registryMethods> {
  return {}
}
