/** Disk use per host (`docker system df -v`) and the confirmed prunes of what can go. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DiskUsage, PruneCandidate, PruneKind, PruneOutcome } from '../../../../protocol/schema'
import { toErrorView } from '../../api/api-error'
import { outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import type { ListStatus } from '../containers/containers-store'

export const useDiskStore = defineStore('disk', () => {
  const api = useApi()
  const byHost = ref<Record<string, DiskUsage>>({})
  const status = ref<Record<string, ListStatus>>({})

  async function fetch(hostId: string): Promise<void> {
    const current = (status.value[hostId] ??= { loading: true, loaded: false })
    current.loading = true
    try {
      byHost.value[hostId] = await api.invoke('system.df', { hostId })
      status.value[hostId] = { loading: false, loaded: true }
    } catch (err) {
      status.value[hostId] = { loading: false, loaded: current.loaded, error: toErrorView(err) }
    }
  }

  function prunePreview(hostId: string, kind: PruneKind): Promise<Outcome<PruneCandidate[]>> {
    return outcomeOf(() => api.invoke('system.prunePreview', { hostId, kind }))
  }

  async function prune(hostId: string, kind: PruneKind, ids: string[]): Promise<Outcome<PruneOutcome>> {
    const result = await outcomeOf(() => api.invoke('system.prune', { hostId, kind, ids }))
    await fetch(hostId)
    return result
  }

  return { byHost, status, fetch, prunePreview, prune }
})
