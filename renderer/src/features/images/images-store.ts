/**
 * Images per host, the pulls in flight, and the changes made to images: remove, tag, untag and
 * prune dangling.
 *
 * A host's list is fetched when its Images panel opens, on Refresh, after every change made
 * from here, and when the engine's image events (relayed by the agent as engine.objectChanged)
 * say someone else changed it. Pull progress comes as image.pullProgress events, keyed by a pull
 * id the renderer chooses so it can follow and cancel the pull before the engine has answered.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { ImageDetails, ImageRow, PullLayer } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { done, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'

export interface PullState {
  pullId: string
  hostId: string
  reference: string
  platform?: string
  layers: PullLayer[]
  status?: string
  done: boolean
  error?: ErrorView
  result?: { id: string; digest: string | null; reference: string }
}

export interface PrunePreview {
  loading: boolean
  images?: Array<{ id: string; size: number }>
  /** Bytes. */
  spaceReclaimed?: number
  error?: ErrorView
}

export interface DetailsState {
  loading: boolean
  details?: ImageDetails
  error?: ErrorView
}

let pullSerial = 0

export const useImagesStore = defineStore('images', () => {
  const api = useApi()

  const { byHost, lists, fetch } = useHostList(api, {
    load: (hostId) => api.invoke('images.list', { hostId }),
    refetchOn: { objects: ['image'] },
  })
  const pulls = ref<Record<string, PullState>>({})
  /** Inspect answers by host, then image ID: an ID names immutable content. */
  const details = ref<Record<string, Record<string, DetailsState>>>({})
  const prunePreviews = ref<Record<string, PrunePreview>>({})

  const imagesOf = computed(() => (hostId: string): ImageRow[] => byHost.value[hostId] ?? [])

  async function inspect(hostId: string, id: string): Promise<void> {
    // through the reactive map each time: `??=` would hand back the raw object
    details.value[hostId] ??= {}
    const known = details.value[hostId][id]
    if (known?.details || known?.loading) return
    details.value[hostId][id] = { loading: true }
    let next: DetailsState
    try {
      next = { loading: false, details: await api.invoke('images.inspect', { hostId, image: id }) }
    } catch (err) {
      next = { loading: false, error: toErrorView(err) }
    }
    if (details.value[hostId]) details.value[hostId][id] = next
  }

  /** Starts a pull and returns its id at once; its state lives in `pulls`. */
  function pull(hostId: string, reference: string, platform?: string): string {
    pullSerial += 1
    const pullId = `pull-${Date.now().toString(36)}-${pullSerial}`
    pulls.value[pullId] = { pullId, hostId, reference, layers: [], done: false, ...(platform ? { platform } : {}) }
    void run(pullId, hostId, reference, platform)
    return pullId
  }

  async function run(pullId: string, hostId: string, reference: string, platform?: string): Promise<void> {
    try {
      const result = await api.invoke('images.pull', { hostId, pullId, reference, ...(platform ? { platform } : {}) })
      const state = pulls.value[pullId]
      if (state) Object.assign(state, { done: true, result })
      void fetch(hostId)
    } catch (err) {
      const state = pulls.value[pullId]
      if (state) Object.assign(state, { done: true, error: toErrorView(err) })
    }
  }

  async function cancelPull(pullId: string): Promise<Outcome> {
    const state = pulls.value[pullId]
    if (!state || state.done) return done
    const cancelled = await outcomeOf(() => api.invoke('images.pullCancel', { hostId: state.hostId, pullId }))
    return cancelled.ok ? done : cancelled
  }

  function forgetPull(pullId: string): void {
    delete pulls.value[pullId]
  }

  /** A change to a host's images; the list is fetched again once the engine made it. */
  async function change(hostId: string, call: () => Promise<unknown>): Promise<Outcome> {
    const changed = await outcomeOf(call)
    if (!changed.ok) return changed
    await fetch(hostId)
    return done
  }

  /** Removes an image (refused by the agent while containers use it). */
  function remove(hostId: string, id: string): Promise<Outcome> {
    return change(hostId, async () => {
      await api.invoke('images.remove', { hostId, image: id })
      if (details.value[hostId]) delete details.value[hostId][id]
    })
  }

  /** Adds repository:tag to an image. */
  function tag(hostId: string, image: string, target: string): Promise<Outcome> {
    return change(hostId, () => api.invoke('images.tag', { hostId, image, target }))
  }

  /** Removes one repository:tag (the image stays while another tag or a container holds it). */
  function untag(hostId: string, reference: string): Promise<Outcome> {
    return change(hostId, () => api.invoke('images.untag', { hostId, reference }))
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

  /** Prunes dangling images; its value is the bytes reclaimed. */
  async function prune(hostId: string): Promise<Outcome<number>> {
    const pruned = await outcomeOf(() => api.invoke('images.pruneDangling', { hostId, preview: false }))
    if (!pruned.ok) return pruned
    delete prunePreviews.value[hostId]
    await fetch(hostId)
    return { ok: true, value: pruned.value.spaceReclaimed }
  }

  const offProgress = api.on('image.pullProgress', ({ pullId, layers, status }) => {
    const state = pulls.value[pullId]
    // the answer to images.pull, not this event, says how the pull ended
    if (!state || state.done) return
    state.layers = layers
    if (status !== undefined) state.status = status
  })
  onScopeDispose(offProgress)

  return {
    byHost, lists, pulls, details, prunePreviews, imagesOf,
    fetch, inspect, pull, cancelPull, forgetPull, remove, tag, untag, previewPrune, prune,
  }
})
