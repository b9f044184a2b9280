/** container-run handlers: containers.create, containers.run, containers.commit. */
import type { containerRunMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { commitContainer } from './commit'
import { createContainer, runContainer } from './run'
import type { AgentDeps } from '../runtime/types'

export function containerRunHandlers({ docker }: AgentDeps): HandlersFor<typeof containerRunMethods, RequestContext> {
  return {
    'containers.create': async (spec) => createContainer(docker, spec),
    'containers.run': async (spec) => runContainer(docker, spec),
    'containers.commit': async (params) => commitContainer(docker, params),
  }
}
