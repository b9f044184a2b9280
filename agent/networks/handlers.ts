/** networks.* handlers. */
import type { networkMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { connectNetwork, createNetwork, disconnectNetwork, removeNetwork } from './changes'
import { inspectNetwork, listNetworks } from './list'
import type { AgentDeps } from '../runtime/types'

export function networkHandlers({ docker }: AgentDeps): HandlersFor<typeof networkMethods, RequestContext> {
  return {
    'networks.list': async () => listNetworks(docker),
    'networks.inspect': async ({ id }) => inspectNetwork(docker, id),
    'networks.create': async (params) => createNetwork(docker, params),
    'networks.remove': async ({ id }) => removeNetwork(docker, id),
    'networks.connect': async (params) => connectNetwork(docker, params),
    'networks.disconnect': async (params) => disconnectNetwork(docker, params),
  }
}
