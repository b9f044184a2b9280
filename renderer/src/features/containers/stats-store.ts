/**
 * Live container stats per host, while someone looks at them.
 *
 * Views call `watchHost` while they are on screen (the Containers view, a container's details)
 * and release it when they go: the first watcher of a host subscribes the host's agent to its
 * sampler, the last one unsubscribes it, so a host nobody looks at costs nothing. A host that
 * reconnects, or a link to the core that returns, is subscribed again while watched.
 *
 * The latest sample replaces the previous one whole (shallow state: thousands of rows change
 * together every interval). Each container keeps a few minutes of CPU and memory for its chart,
 * outside reactive state, with one counter per host saying when it grew.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import { type ContainerStats, DEFAULT_STATS_INTERVAL_MS, type StatsSample, type StatsTotals } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'
import { useHostsStore } from '../hosts/hosts-store'

/** How far back a container's chart reaches. */
export const STATS_HISTORY_MS = 3 * 60_000

export interface HostStats {
  at: number
  intervalMs: number
  totals: StatsTotals
  byId: Readonly<Record<string, ContainerStats>>
}

export interface StatsHistory {
  /** Unix ms of each point. */
  at: number[]
  /** Percent of one CPU; null where it was not known yet. */
  cpuPercent: Array<number | null>
  memoryBytes: number[]
}

export const useStatsStore = defineStore('stats', () => {
  const api = useApi()
  const hosts = useHostsStore()

  const latest = shallowRef<Readonly<Record<string, HostStats>>>({})
  const errors = ref<Record<string, ErrorView>>({})
  const historyVersion = ref<Record<string, number>>({})

  // bookkeeping only, never rendered: kept out of reactive state
  const watchers = new Map<string, number>()
  const subscribed = new Set<string>()
  const history = new Map<string, Map<string, StatsHistory>>()

  /** A host's latest figures, or undefined before its first sample (a computed function: pinia would stub a plain one in tests). */
  const of = computed(() => (hostId: string): HostStats | undefined => latest.value[hostId])

  /** A container's recent CPU and memory, oldest first. */
  const historyOf = computed(() => (hostId: string, id: string): StatsHistory => {
    void historyVersion.value[hostId]
    const h = history.get(hostId)?.get(id)
    return h ? { at: [...h.at], cpuPercent: [...h.cpuPercent], memoryBytes: [...h.memoryBytes] } : { at: [], cpuPercent: [], memoryBytes: [] }
  })

  const connected = (hostId: string): boolean => hosts.byId[hostId]?.state === 'connected'

  async function subscribe(hostId: string): Promise<void> {
    subscribed.add(hostId)
    try {
      await api.invoke('stats.subscribe', { hostId, intervalMs: DEFAULT_STATS_INTERVAL_MS })
      delete errors.value[hostId]
    } catch (err) {
      subscribed.delete(hostId)
      errors.value[hostId] = toErrorView(err)
    }
  }

  function forget(hostId: string): void {
    subscribed.delete(hostId)
    history.delete(hostId)
    const { [hostId]: _gone, ...rest } = latest.value
    latest.value = rest
    delete errors.value[hostId]
  }

  /** Keeps a host's stats coming until the returned function is called. */
  function watchHost(hostId: string): () => void {
    const count = (watchers.get(hostId) ?? 0) + 1
    watchers.set(hostId, count)
    if (count === 1 && connected(hostId)) void subscribe(hostId)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (watchers.get(hostId) ?? 1) - 1
      if (left > 0) return void watchers.set(hostId, left)
      watchers.delete(hostId)
      // said even while the host is away: main counts this window as subscribed until told (or
      // until the window goes), and would take the subscription up again when the host returns
      void api.invoke('stats.unsubscribe', { hostId }).catch(() => {})
      forget(hostId)
    }
  }

  function record(hostId: string, sample: StatsSample): void {
    const byId: Record<string, ContainerStats> = {}
    const perHost = history.get(hostId) ?? new Map<string, StatsHistory>()
    history.set(hostId, perHost)
    const since = sample.at - STATS_HISTORY_MS
    for (const c of sample.containers) {
      byId[c.id] = c
      let h = perHost.get(c.id)
      if (!h) perHost.set(c.id, (h = { at: [], cpuPercent: [], memoryBytes: [] }))
      h.at.push(sample.at)
      h.cpuPercent.push(c.cpuPercent)
      h.memoryBytes.push(c.memoryBytes)
      const old = h.at.findIndex((t) => t >= since)
      if (old > 0) for (const series of [h.at, h.cpuPercent, h.memoryBytes]) series.splice(0, old)
    }
    // a container that stopped keeps no chart
    for (const id of perHost.keys()) if (!(id in byId)) perHost.delete(id)
    latest.value = { ...latest.value, [hostId]: { at: sample.at, intervalMs: sample.intervalMs, totals: sample.totals, byId } }
    historyVersion.value[hostId] = (historyVersion.value[hostId] ?? 0) + 1
  }

  watch(
    () => hosts.list.filter((h) => h.state === 'connected').map((h) => h.id),
    (now, before) => {
      const is = new Set(now)
      // the agent's subscription died with the connection: take it up again on return
      for (const id of before ?? []) if (!is.has(id)) forget(id)
      for (const id of now) if (watchers.has(id) && !subscribed.has(id)) void subscribe(id)
    },
  )

  const offSample = api.on('stats.sample', ({ hostId, ...sample }) => {
    if (watchers.has(hostId)) record(hostId, sample)
  })
  const offLink = api.onConnectionChange((up) => {
    if (up) for (const id of watchers.keys()) if (connected(id)) void subscribe(id)
  })
  onScopeDispose(() => {
    offSample()
    offLink()
  })

  return { of, historyOf, errors, watchHost }
})
