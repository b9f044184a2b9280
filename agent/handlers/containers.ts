/** containers.* handlers. */
import { containerMethods } from '../../protocol/schema'
import { listContainers, startContainer, stopContainer } from '../containers'
import type { AgentDeps, HandlersFor } from './types'

export function containerHandlers({ docker }: AgentDeps): HandlersFor<typeof containerMethods> {
  return {
    'containers.list': async () => listContainers(docker),
    'containers.start': async ({ id }) => startContainer(docker, id),
    'containers.stop': async ({ id, timeoutSeconds }) => stopContainer(docker, id, timeoutSeconds),
  }
}
