/** registry.checkLogin and registry.push: served to main only, which holds the credentials. */
import type { registryAgentMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { checkLogin, push } from './push'
import type { AgentDeps } from '../runtime/types'

export function registryAuthHandlers({ docker }: AgentDeps): HandlersFor<typeof registryAgentMethods, RequestContext> {
  return {
    'registry.checkLogin': async ({ auth }) => ({ status: await checkLogin(docker, auth) }),
    'registry.push': async ({ pushId, reference, auth }, ctx) => {
      const digest = await push(docker, reference, auth, (p) => ctx.peer.emitEvent('registry.pushProgress', { pushId, ...p }))
      return digest ? { digest } : {}
    },
  }
}
