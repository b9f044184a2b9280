/** networks.* handlers. */
import type { networkMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function networkHandlers(_deps: AgentDeps): HandlersFor<typeof networkMethods> {
  return {}
}
