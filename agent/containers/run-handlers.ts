/** container-run handlers: containers.create, containers.run, containers.commit. */
import type { containerRunMethods } from '../../protocol/schema'
import { commitContainer } from './commit'
import { createContainer, runContainer } from './run'
import type { AgentDeps, HandlersFor } from '../runtime/types'

export function containerRunHandlers({ docker }: AgentDeps): HandlersFor<typeof containerRunMethods> {
  return {
    'containers.create': async (spec) => createContainer(docker, spec),
    'containers.run': async (spec) => runContainer(docker, spec),
    'containers.commit': async (params) => commitContainer(docker, params),
  }
}
