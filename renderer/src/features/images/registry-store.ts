/**
 * What registries hold (registry.manifest) and the image actions that change tags: tag, untag
 * and prune dangling. Every change refreshes the host's image list at once, without waiting
 * for the engine's image events (engine.objectChanged), which refetch it only after a quiet spell.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ManifestReport } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'
import { useImagesStore } from './images-store'

export interface ManifestLookup {
  reference: string
  loading: boolean
  report?: ManifestReport
  error?: ErrorView
}

export interface PrunePreview {
  loading: boolean
  images?: Array<{ id: string; size: number }>
  /** Bytes. */
  spaceReclaimed?: number
  error?: ErrorView
}

export const useRegistryStore = defineStore('registry', () => {
  const api = useApi()
  const images = useImagesStore()
  /** The latest lookup per host: the explorer shows one reference at a time. */
  const lookups = ref<Record<string, ManifestLookup>>({})
  const prunePreviews = ref<Record<string, PrunePreview>>({})

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

  /** Adds repository:tag to an image; rethrows for the dialog to show. */
  async function tag(hostId: string, image: string, target: string): Promise<void> {
    await api.invoke('images.tag', { hostId, image, target })
    await images.fetch(hostId)
  }

  /** Removes one repository:tag (the image stays while another tag or a container holds it). */
  async function untag(hostId: string, reference: string): Promise<void> {
    await api.invoke('images.untag', { hostId, reference })
    await images.fetch(hostId)
  }

  async function previewPrune(hostId: string): Promise<void> {
    prunePreviews.value[hostId] = { loading: true }
    try {
      const answer = await api.invoke('images.pruneDangling', { hostId, preview: true })
      prunePreviews.value[hostId] = { loading: false, ...answer }
    } catch (err) {
      prunePreviews.value[hostId] = { loading: false, error: toErrorView(err) }
    }
  }

  /** Prunes dangling images; returns the bytes reclaimed. */
  async function prune(hostId: string): Promise<number> {
    const answer = await api.invoke('images.pruneDangling', { hostId, preview: false })
    delete prunePreviews.value[hostId]
    await images.fetch(hostId)
    return answer.spaceReclaimed
  }

  return { lookups, prunePreviews, lookup, tag, untag, previewPrune, prune }
})
