/**
 * Registry logins as the window sees them (never the password: that stays in the core) and
 * pushes with their per-layer progress.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiResult, AppEventPayload, RegistryLogin } from '../../../../protocol/schema'
import { done, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'

export interface LayerProgress {
  status: string
  current?: number
  total?: number
}

let counter = 0

export const useRegistryLoginsStore = defineStore('registry-logins', () => {
  const api = useApi()
  const logins = ref<RegistryLogin[]>([])
  /** Per push id: layer (or '' for the whole push) -> its latest status. */
  const pushes = ref<Record<string, Record<string, LayerProgress>>>({})

  api.on('push.progress', (p: AppEventPayload<'push.progress'>) => {
    const push = pushes.value[p.pushId]
    if (!push) return
    push[p.layer ?? ''] = { status: p.status, ...(p.current !== undefined ? { current: p.current } : {}), ...(p.total !== undefined ? { total: p.total } : {}) }
  })

  async function refresh(): Promise<Outcome> {
    const listed = await outcomeOf(() => api.invoke('registries.list', {}))
    if (!listed.ok) return listed
    logins.value = listed.value
    return done
  }

  /** Tests the login from the host first; kept (or saved) only when the registry accepts it. */
  async function login(hostId: string, domain: string, username: string, password: string, save: boolean): Promise<Outcome<ApiResult<'registries.login'>>> {
    const result = await outcomeOf(() => api.invoke('registries.login', { hostId, domain, username, password, ...(save ? { save } : {}) }))
    await refresh()
    return result
  }

  async function logout(domain: string): Promise<Outcome> {
    const result = await outcomeOf(() => api.invoke('registries.logout', { domain }))
    await refresh()
    return result.ok ? done : result
  }

  function newPushId(): string {
    const id = `push-${Date.now().toString(36)}-${(counter++).toString(36)}`
    pushes.value[id] = {}
    return id
  }

  function push(pushId: string, hostId: string, reference: string): Promise<Outcome<ApiResult<'images.push'>>> {
    return outcomeOf(() => api.invoke('images.push', { hostId, pushId, reference }))
  }

  return { logins, pushes, refresh, login, logout, newPushId, push }
})
