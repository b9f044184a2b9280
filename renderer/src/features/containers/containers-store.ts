/**
 * Containers per host, kept current by `container.stateChanged` events rather than polling.
 *
 * The list for a host is fetched once when the host becomes connected (and again when its
 * engine comes back, or the link to the core returns, since events may have been missed), and
 * dropped when the host disconnects. Events that arrive while a list is in flight are replayed
 * on top of its answer, which may have been taken before they happened.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, watch } from 'vue'
import type { ApiResult, CommitParams, ContainerChange, ContainerSummary, RunSpec } from '../../../../protocol/schema'
import type { ErrorView } from '../../api/api-error'
import { done, failed, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'
import { useHostsStore } from '../hosts/hosts-store'
import type { RunMode } from './run-form'

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'rename' | 'remove'

export interface RowStatus {
  pending?: ContainerAction
  error?: ErrorView
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

export const useContainersStore = defineStore('containers', () => {
  const api = useApi()
  const hosts = useHostsStore()

  const rows = ref<Record<string, Record<string, RowStatus>>>({})
  /** Changes seen while a host's list was in flight, replayed on its answer: bookkeeping, never rendered. */
  const buffered = new Map<string, ContainerChange[]>()

  const list = useHostList(api, {
    load: async (hostId): Promise<Record<string, ContainerSummary>> => {
      if (!buffered.has(hostId)) buffered.set(hostId, [])
      const answer = await api.invoke('containers.list', { hostId })
      return Object.fromEntries(answer.map((c) => [c.id, c]))
    },
    settled: (hostId, ok) => {
      if (ok) for (const change of buffered.get(hostId) ?? []) apply(hostId, change)
      buffered.delete(hostId)
    },
  })
  const { byHost, lists, fetch } = list

  /** A host's containers sorted by name (a computed function: pinia would stub a plain one in tests). */
  const containersOf = computed(() => (hostId: string): ContainerSummary[] =>
    Object.values(byHost.value[hostId] ?? {}).sort((a, b) => byName.compare(a.name, b.name)),
  )

  function apply(hostId: string, change: ContainerChange): void {
    const containers = (byHost.value[hostId] ??= {})
    if (change.container === null) {
      delete containers[change.id]
      if (rows.value[hostId]) delete rows.value[hostId][change.id]
    } else {
      containers[change.id] = change.container
    }
  }

  function onChange(hostId: string, change: ContainerChange): void {
    buffered.get(hostId)?.push(change)
    // before the first list there is nothing to patch: the list will include the change
    if (lists.value[hostId]?.loaded) apply(hostId, change)
  }

  function forget(hostId: string): void {
    // a list still in flight for this host must not bring its rows back
    list.forget(hostId)
    buffered.delete(hostId)
    delete rows.value[hostId]
  }

  /**
   * Runs one action on one container, at most one at a time per row. The state change itself
   * arrives as an event; the answer only says whether the engine agreed, and a refusal stays on
   * the row until dismissed.
   */
  async function act(hostId: string, id: string, action: ContainerAction, call: () => Promise<unknown>): Promise<Outcome> {
    const hostRows = (rows.value[hostId] ??= {})
    const busy = hostRows[id]?.pending
    if (busy) return failed('CONFLICT', `the container is busy: ${busy} is under way`)
    hostRows[id] = { pending: action }
    const outcome = await outcomeOf(call)
    if (rows.value[hostId]?.[id]) rows.value[hostId][id] = outcome.ok ? {} : { error: outcome.error }
    return outcome.ok ? done : outcome
  }

  const start = (hostId: string, id: string) => act(hostId, id, 'start', () => api.invoke('containers.start', { hostId, id }))
  const stop = (hostId: string, id: string) => act(hostId, id, 'stop', () => api.invoke('containers.stop', { hostId, id }))
  const restart = (hostId: string, id: string) => act(hostId, id, 'restart', () => api.invoke('containers.restart', { hostId, id }))
  const pause = (hostId: string, id: string) => act(hostId, id, 'pause', () => api.invoke('containers.pause', { hostId, id }))
  const unpause = (hostId: string, id: string) => act(hostId, id, 'unpause', () => api.invoke('containers.unpause', { hostId, id }))
  /** SIGKILL unless a signal is given, like `docker kill`. */
  const kill = (hostId: string, id: string, signal?: string) =>
    act(hostId, id, 'kill', () => api.invoke('containers.kill', signal === undefined ? { hostId, id } : { hostId, id, signal }))
  const rename = (hostId: string, id: string, name: string) =>
    act(hostId, id, 'rename', () => api.invoke('containers.rename', { hostId, id, name }))
  const remove = (hostId: string, id: string, options: { force: boolean; removeVolumes: boolean }) =>
    act(hostId, id, 'remove', () => api.invoke('containers.remove', { hostId, id, ...options }))

  /** docker run -d, or docker create: the new container reaches the list as an event. */
  function run(hostId: string, mode: RunMode, spec: RunSpec): Promise<Outcome<ApiResult<'containers.run'>>> {
    return outcomeOf(() => api.invoke(mode === 'run' ? 'containers.run' : 'containers.create', { hostId, ...spec }))
  }

  /** docker commit: an image of the container's filesystem as it is now. */
  function commit(hostId: string, params: CommitParams): Promise<Outcome<ApiResult<'containers.commit'>>> {
    return outcomeOf(() => api.invoke('containers.commit', { hostId, ...params }))
  }

  function dismissError(hostId: string, id: string): void {
    if (rows.value[hostId]?.[id]?.error) rows.value[hostId][id] = {}
  }

  /** Refetches every connected host, e.g. after the link to the core came back. */
  async function refreshAll(): Promise<void> {
    await Promise.all(connectedIds().map((id) => fetch(id)))
  }

  function connectedIds(): string[] {
    return hosts.list.filter((h) => h.state === 'connected').map((h) => h.id)
  }

  watch(
    connectedIds,
    (now, before) => {
      const was = new Set(before ?? [])
      const is = new Set(now)
      for (const id of now) if (!was.has(id)) void fetch(id)
      for (const id of was) if (!is.has(id)) forget(id)
    },
    { immediate: true },
  )

  const offChange = api.on('container.stateChanged', ({ hostId, ...change }) => onChange(hostId, change))
  const offEngine = api.on('engine.stateChanged', ({ hostId, available }) => {
    if (available && hosts.byId[hostId]?.state === 'connected') void fetch(hostId)
  })
  onScopeDispose(() => {
    offChange()
    offEngine()
  })

  return {
    byHost, lists, rows, containersOf, fetch, refreshAll,
    start, stop, restart, pause, unpause, kill, rename, remove, dismissError, run, commit,
  }
})
