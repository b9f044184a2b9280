/**
 * Registry logins as the window sees them (never the password: that stays in the core) and
 * pushes with their per-layer progress.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppEventPayload, RegistryLogin } from '../../../../protocol/schema'
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

  async function refresh(): Promise<void> {
    logins.value = await api.invoke('registries.list', {})
  }

  async function login(hostId: string, domain: string, username: string, password: string, save: boolean) {
    const result = await api.invoke('registries.login', { hostId, domain, username, password, ...(save ? { save } : {}) })
    await refresh()
    return result
  }

  async function logout(domain: string): Promise<void> {
    await api.invoke('registries.logout', { domain })
    await refresh()
  }

  function newPushId(): string {
    const id = `push-${Date.now().toString(36)}-${(counter++).toString(36)}`
    pushes.value[id] = {}
    return id
  }

  function push(pushId: string, hostId: string, reference: string) {
    return api.invoke('images.push', { hostId, pushId, reference })
  }

  return { logins, pushes, refresh, login, logout, newPushId, push }
})
