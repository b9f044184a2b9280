/** volumes.* handlers. */
import type { volumeMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function volumeHandlers(_deps: AgentDeps): HandlersFor<typeof volumeMethods> {
  return {}
}
