/**
 * Disk use per host (`docker system df -v`) and the confirmed prunes of what can go. What was
 * measured is measured again after the host's containers, images, volumes or networks change,
 * whoever changed them.
 */
import { defineStore } from 'pinia'
import type { DiskUsage, PruneCandidate, PruneKind, PruneOutcome } from '../../../../protocol/schema'
import { outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'

/** df -v sizes every layer and volume, which takes seconds on a busy host: wait for a longer lull. */
export const DISK_QUIET_MS = 2_000

export const useDiskStore = defineStore('disk', () => {
  const api = useApi()
  const { byHost, lists: status, fetch } = useHostList<DiskUsage>(api, {
    load: (hostId) => api.invoke('system.df', { hostId }),
    refetchOn: { containers: true, objects: ['image', 'volume', 'network'] },
    quietMs: DISK_QUIET_MS,
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
