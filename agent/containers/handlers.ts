/** containers.* handlers. */
import type { containerMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import {
  killContainer,
  pauseContainer,
  removeContainer,
  renameContainer,
  restartContainer,
  unpauseContainer,
} from './actions'
import { inspectContainer } from './inspect'
import { listContainers, startContainer, stopContainer } from './list'
import type { AgentDeps } from '../runtime/types'

export function containerHandlers({ docker }: AgentDeps): HandlersFor<typeof containerMethods, RequestContext> {
  return {
    'containers.list': async () => listContainers(docker),
    'containers.inspect': async ({ id }) => inspectContainer(docker, id),
    'containers.start': async ({ id }) => startContainer(docker, id),
    'containers.stop': async ({ id, timeoutSeconds }) => stopContainer(docker, id, timeoutSeconds),
    'containers.restart': async ({ id, timeoutSeconds }) => restartContainer(docker, id, timeoutSeconds),
    'containers.kill': async ({ id, signal }) => killContainer(docker, id, signal),
    'containers.pause': async ({ id }) => pauseContainer(docker, id),
    'containers.unpause': async ({ id }) => unpauseContainer(docker, id),
    'containers.rename': async ({ id, name }) => renameContainer(docker, id, name),
    'containers.remove': async ({ id, force, removeVolumes }) => removeContainer(docker, id, { force, removeVolumes }),
  }
}
