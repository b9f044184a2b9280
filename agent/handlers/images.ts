/** images.* handlers. */
import type { imageMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function imageHandlers(_deps: AgentDeps): HandlersFor<typeof imageMethods> {
  return {}
}
