/**
 * The link between this page and the core. Only the browser shell's WebSocket can drop; when
 * it returns, hosts and containers are fetched again because events sent meanwhile are lost.
 */
import { defineStore } from 'pinia'
import { onScopeDispose, ref } from 'vue'
import { useApi } from '../../api/use-api'
import { useContainersStore } from '../containers/containers-store'
import { useHostsStore } from './hosts-store'

export const useConnectionStore = defineStore('connection', () => {
  const api = useApi()
  const hosts = useHostsStore()
  const containers = useContainersStore()

  const lost = ref(false)

  const off = api.onConnectionChange((connected) => {
    if (!connected) {
      lost.value = true
      return
    }
    if (!lost.value) return
    lost.value = false
    void hosts.load().then(() => containers.refreshAll())
  })
  onScopeDispose(off)

  return { lost }
})
