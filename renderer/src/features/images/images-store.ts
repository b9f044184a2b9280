/**
 * Images per host, and the pulls in flight.
 *
 * The engine sends no image events to Berth yet, so a host's list is fetched when its Images
 * panel opens, on Refresh, and after every change made from here (pull, remove, prune).
 * Pull progress comes as image.pullProgress events, keyed by a pull id the renderer chooses
 * so it can follow and cancel the pull before the engine has answered.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { ImageDetails, ImageRow, PullLayer } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'
import { refetchOnChange } from '../../api/refetch-on-change'

export interface ImageListStatus {
  loading: boolean
  loaded: boolean
  error?: ErrorView
}

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

export interface DetailsState {
  loading: boolean
  details?: ImageDetails
  error?: ErrorView
}

let pullSerial = 0

const finished = new Set(['Pull complete', 'Already exists'])
const downloaded = new Set(['Download complete', 'Verifying Checksum'])

/** 0..1 for one layer: downloading is the first half, extracting the second. */
export function layerFraction(layer: PullLayer): number {
  if (finished.has(layer.status)) return 1
  if (downloaded.has(layer.status)) return 0.5
  const part = layer.total ? Math.min(1, (layer.current ?? 0) / layer.total) : 0
  if (layer.status === 'Downloading') return part / 2
  if (layer.status === 'Extracting') return 0.5 + part / 2
  return 0
}

export function pullFraction(state: Pick<PullState, 'layers' | 'done' | 'error'>): number {
  if (state.done && !state.error) return 1
  if (state.layers.length === 0) return 0
  return state.layers.reduce((sum, l) => sum + layerFraction(l), 0) / state.layers.length
}

export const useImagesStore = defineStore('images', () => {
  const api = useApi()

  const byHost = ref<Record<string, ImageRow[]>>({})
  const lists = ref<Record<string, ImageListStatus>>({})
  const pulls = ref<Record<string, PullState>>({})
  /** Inspect answers by host, then image ID: an ID names immutable content. */
  const details = ref<Record<string, Record<string, DetailsState>>>({})
  const generation = new Map<string, number>()

  const imagesOf = computed(() => (hostId: string): ImageRow[] => byHost.value[hostId] ?? [])

  async function fetch(hostId: string): Promise<void> {
    const mine = (generation.get(hostId) ?? 0) + 1
    generation.set(hostId, mine)
    const status = (lists.value[hostId] ??= { loading: true, loaded: false })
    status.loading = true
    try {
      const rows = await api.invoke('images.list', { hostId })
      if (generation.get(hostId) !== mine) return
      byHost.value[hostId] = rows
      lists.value[hostId] = { loading: false, loaded: true }
    } catch (err) {
      if (generation.get(hostId) !== mine) return
      lists.value[hostId] = { loading: false, loaded: lists.value[hostId]?.loaded ?? false, error: toErrorView(err) }
    }
  }

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

  async function cancelPull(pullId: string): Promise<void> {
    const state = pulls.value[pullId]
    if (!state || state.done) return
    await api.invoke('images.pullCancel', { hostId: state.hostId, pullId })
  }

  function forgetPull(pullId: string): void {
    delete pulls.value[pullId]
  }

  /** Removes an image (refused by the agent while containers use it); rethrows for the caller to show. */
  async function remove(hostId: string, id: string): Promise<void> {
    await api.invoke('images.remove', { hostId, image: id })
    if (details.value[hostId]) delete details.value[hostId][id]
    await fetch(hostId)
  }

  const offProgress = api.on('image.pullProgress', ({ pullId, layers, status }) => {
    const state = pulls.value[pullId]
    // the answer to images.pull, not this event, says how the pull ended
    if (!state || state.done) return
    state.layers = layers
    if (status !== undefined) state.status = status
  })
  onScopeDispose(offProgress)

  refetchOnChange(api, 'image', lists, fetch)

  return { byHost, lists, pulls, details, imagesOf, fetch, inspect, pull, cancelPull, forgetPull, remove }
})

export type ImageSort = 'repository' | 'created' | 'size'

export type ImageListItem =
  | { kind: 'group'; key: string; repository: string; count: number }
  | { kind: 'image'; key: string; row: ImageRow }

const byText = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

const compare: Record<ImageSort, (a: ImageRow, b: ImageRow) => number> = {
  repository: (a, b) => byText.compare(a.repository, b.repository) || byText.compare(a.tag, b.tag),
  created: (a, b) => b.created - a.created || compare.repository(a, b),
  size: (a, b) => b.size - a.size || compare.repository(a, b),
}

/**
 * The rows a search leaves, sorted, under one heading per repository (in the order the sort
 * first meets each repository). Untagged images come last, under <none>.
 */
export function groupImages(rows: ImageRow[], query: string, sort: ImageSort): ImageListItem[] {
  const q = query.trim().toLowerCase()
  const hits = q
    ? rows.filter((r) =>
        [`${r.repository}:${r.tag}`, r.id, r.digest ?? '', `${r.os}/${r.architecture}`].some((f) => f.toLowerCase().includes(q)),
      )
    : rows
  const groups = new Map<string, ImageRow[]>()
  for (const row of [...hits].sort(compare[sort])) {
    const group = groups.get(row.repository) ?? []
    group.push(row)
    groups.set(row.repository, group)
  }
  const none = groups.get('<none>')
  groups.delete('<none>')
  if (none) groups.set('<none>', none)
  const items: ImageListItem[] = []
  for (const [repository, group] of groups) {
    items.push({ kind: 'group', key: `g:${repository}`, repository, count: group.length })
    for (const row of group) items.push({ kind: 'image', key: `i:${row.repository}:${row.tag}:${row.id}`, row })
  }
  return items
}

/** "3 days ago", as `docker images` says it. */
export function createdAgo(unixSeconds: number, nowMs = Date.now()): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - unixSeconds))
  const steps: Array<[number, string]> = [[31_536_000, 'year'], [2_592_000, 'month'], [604_800, 'week'], [86_400, 'day'], [3_600, 'hour'], [60, 'minute']]
  for (const [size, name] of steps) {
    const n = Math.floor(seconds / size)
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`
  }
  return 'just now'
}
