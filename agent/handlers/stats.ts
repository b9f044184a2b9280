/** stats handlers (being written). */
import type { statMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function statHandlers(_deps: AgentDeps): HandlersFor<typeof statMethods> {
  return {}
}
