/** The host's facts as its engine reports them (`docker info`, `docker version`), per host. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { EngineInfo } from '../../../../protocol/schema'
import { toErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'
import type { ListStatus } from '../containers/containers-store'

export const useHostInfoStore = defineStore('host-info', () => {
  const api = useApi()
  const byHost = ref<Record<string, EngineInfo>>({})
  const status = ref<Record<string, ListStatus>>({})

  async function fetch(hostId: string): Promise<void> {
    const current = (status.value[hostId] ??= { loading: true, loaded: false })
    current.loading = true
    try {
      byHost.value[hostId] = await api.invoke('engine.info', { hostId })
      status.value[hostId] = { loading: false, loaded: true }
    } catch (err) {
      status.value[hostId] = { loading: false, loaded: current.loaded, error: toErrorView(err) }
    }
  }

  return { byHost, status, fetch }
})
