/**
 * Volumes per host, and the prune flow: a preview of the unused volumes, then a prune of only
 * the names the user confirmed. Changes return an error view so dialogs show it in place.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { PruneOutcome, VolumeCreate, VolumeSummary } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'
import { refetchOnChange } from '../../api/refetch-on-change'
import type { ListStatus } from '../containers/containers-store'

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorView }

export async function outcomeOf<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (err) {
    return { ok: false, error: toErrorView(err) }
  }
}

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

  async function create(hostId: string, params: VolumeCreate): Promise<ErrorView | null> {
    const result = await outcomeOf(() => api.invoke('volumes.create', { hostId, ...params }))
    await fetch(hostId)
    return result.ok ? null : result.error
  }

  async function remove(hostId: string, name: string): Promise<ErrorView | null> {
    const result = await outcomeOf(() => api.invoke('volumes.remove', { hostId, name }))
    await fetch(hostId)
    return result.ok ? null : result.error
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
