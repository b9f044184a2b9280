/**
 * What Docker registries hold: the manifest of a reference, per platform (registry.manifest),
 * as the engine's host sees the registry. Logins and pushes are in registry-logins-store.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ManifestReport } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'

export interface ManifestLookup {
  reference: string
  loading: boolean
  report?: ManifestReport
  error?: ErrorView
}

export const useRegistryStore = defineStore('registry', () => {
  const api = useApi()
  /** The latest lookup per host: the explorer shows one reference at a time. */
  const lookups = ref<Record<string, ManifestLookup>>({})

  async function lookup(hostId: string, reference: string): Promise<void> {
    lookups.value[hostId] = { reference, loading: true }
    let next: ManifestLookup
    try {
      next = { reference, loading: false, report: await api.invoke('registry.manifest', { hostId, reference }) }
    } catch (err) {
      next = { reference, loading: false, error: toErrorView(err) }
    }
    // a newer lookup started meanwhile wins
    if (lookups.value[hostId]?.reference === reference) lookups.value[hostId] = next
  }

  return { lookups, lookup }
})
