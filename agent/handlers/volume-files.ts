/** volume-files handlers (being written). */
import type { volumeFileMethods } from '../../protocol/schema'
import type { AgentDeps, HandlersFor } from './types'

export function volumeFileHandlers(_deps: AgentDeps): HandlersFor<typeof volumeFileMethods> {
  return {}
}
