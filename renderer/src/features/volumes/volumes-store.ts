/**
 * Volumes per host, and the prune flow: a preview of the unused volumes, then a prune of only
 * the names the user confirmed.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { PruneOutcome, VolumeCreate, VolumeSummary } from '../../../../protocol/schema'
import { toErrorView } from '../../api/api-error'
import { done, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { refetchOnChange } from '../../api/refetch-on-change'
import type { ListStatus } from '../containers/containers-store'

export const useVolumesStore = defineStore('volumes', () => {
  const api = useApi()
  const byHost = ref<Record<string, VolumeSummary[]>>({})
  const lists = ref<Record<string, ListStatus>>({})

  const volumesOf = computed(() => (hostId: string): VolumeSummary[] => byHost.value[hostId] ?? [])

  async function fetch(hostId: string): Promise<void> {
    const status = (lists.value[hostId] ??= { loading: true, loaded: false })
    status.loading = true
    try {
      byHost.value[hostId] = await api.invoke('volumes.list', { hostId })
      lists.value[hostId] = { loading: false, loaded: true }
    } catch (err) {
      lists.value[hostId] = { loading: false, loaded: status.loaded, error: toErrorView(err) }
    }
  }

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

  refetchOnChange(api, 'volume', lists, fetch)

  return { byHost, lists, volumesOf, fetch, create, remove, prunePreview, prune }
})
