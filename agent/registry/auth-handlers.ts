/** registry.checkLogin and registry.push: served to main only, which holds the credentials. */
import type { registryAgentMethods } from '../../protocol/schema'
import { checkLogin, push } from './push'
import type { AgentDeps, HandlersFor } from '../runtime/types'

export function registryAuthHandlers({ docker }: AgentDeps): HandlersFor<typeof registryAgentMethods> {
  return {
    'registry.checkLogin': async ({ auth }) => ({ status: await checkLogin(docker, auth) }),
    'registry.push': async ({ pushId, reference, auth }, ctx) => {
      const digest = await push(docker, reference, auth, (p) => ctx.peer.emitEvent('registry.pushProgress', { pushId, ...p }))
      return digest ? { digest } : {}
    },
  }
}
