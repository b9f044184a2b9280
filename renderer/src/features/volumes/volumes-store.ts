/**
 * Volumes per host, and the prune flow: a preview of the unused volumes, then a prune of only
 * the names the user confirmed.
 */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { PruneOutcome, VolumeCreate, VolumeSummary } from '../../../../protocol/schema'
import { done, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'

export const useVolumesStore = defineStore('volumes', () => {
  const api = useApi()
  const { byHost, lists, fetch } = useHostList(api, {
    load: (hostId) => api.invoke('volumes.list', { hostId }),
    refetchOn: { objects: ['volume'] },
  })

  const volumesOf = computed(() => (hostId: string): VolumeSummary[] => byHost.value[hostId] ?? [])

  async function create(hostId: string, params: VolumeCreate): Promise<Outcome> {
    const result = await outcomeOf(() => api.invoke('volumes.create', { hostId, ...params }))
    await fetch(hostId)
    return result.ok ? done : result
  }

  async function remove(hostId: string, name: string): Promise<Outcome> {
    const result = await outcomeOf(() => api.invoke('volumes.remove', { hostId, name }))
    await fetch(hostId)
    return result.ok ? done : result
  }

  function prunePreview(hostId: string): Promise<Outcome<VolumeSummary[]>> {
    return outcomeOf(() => api.invoke('volumes.prunePreview', { hostId }))
  }

  async function prune(hostId: string, names: string[]): Promise<Outcome<PruneOutcome>> {
    const result = await outcomeOf(() => api.invoke('volumes.prune', { hostId, names }))
    await fetch(hostId)
    return result
  }

  return { byHost, lists, volumesOf, fetch, create, remove, prunePreview, prune }
})
