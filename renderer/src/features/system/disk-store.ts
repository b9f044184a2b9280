/** Disk use per host (`docker system df -v`) and the confirmed prunes of what can go. */
import { defineStore } from 'pinia'
import type { DiskUsage, PruneCandidate, PruneKind, PruneOutcome } from '../../../../protocol/schema'
import { outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'

export const useDiskStore = defineStore('disk', () => {
  const api = useApi()
  const { byHost, lists: status, fetch } = useHostList<DiskUsage>(api, {
    load: (hostId) => api.invoke('system.df', { hostId }),
  })

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
