/**
 * What a store keeps per host from one api call (a list, a report): the data, its status, a
 * fetch, and a refetch when the host says the data changed. One convention for every such list.
 *
 * A newer fetch supersedes one still in flight, so a slow, stale answer never overwrites a
 * fresh one; a failed fetch keeps the data it had and says why. The agent relays the engine's
 * events, whoever caused them (the CLI, compose, another Berth): a list already shown is fetched
 * again once per burst of the events that concern it.
 */
import { onScopeDispose, ref, type Ref } from 'vue'
import type { AppEventPayload } from '../../../protocol/schema'
import type { ErrorView } from './api-error'
import type { BerthClient } from './client'
import { outcomeOf } from './outcome'

export interface ListStatus {
  loading: boolean
  loaded: boolean
  error?: ErrorView
}

export type ObjectKind = AppEventPayload<'engine.objectChanged'>['kind']

/** A pull or a prune sends a burst of events: one refetch after the burst. */
export const REFETCH_QUIET_MS = 300

export interface HostListOptions<T> {
  load: (hostId: string) => Promise<T>
  /** Called once the latest fetch of a host has answered (and its data, if any, is stored). */
  settled?: (hostId: string, ok: boolean) => void
  /** Changes that make a shown list stale: engine objects of these kinds, container states. */
  refetchOn?: { objects?: ObjectKind[]; containers?: boolean }
  /** How long the events must stop before the refetch. */
  quietMs?: number
}

export interface HostList<T> {
  byHost: Ref<Record<string, T>>
  lists: Ref<Record<string, ListStatus>>
  fetch: (hostId: string) => Promise<void>
  /** Drops a host's data (it disconnected); a fetch still in flight for it is ignored. */
  forget: (hostId: string) => void
}

export function useHostList<T>(api: Pick<BerthClient, 'on'>, options: HostListOptions<T>): HostList<T> {
  const byHost = ref({}) as Ref<Record<string, T>>
  const lists = ref<Record<string, ListStatus>>({})
  // bookkeeping only, never rendered: kept out of reactive state
  const generation = new Map<string, number>()
  const timers = new Map<string, ReturnType<typeof setTimeout>>()

  async function fetch(hostId: string): Promise<void> {
    const mine = (generation.get(hostId) ?? 0) + 1
    generation.set(hostId, mine)
    const status = (lists.value[hostId] ??= { loading: true, loaded: false })
    status.loading = true
    const answer = await outcomeOf(() => options.load(hostId))
    if (generation.get(hostId) !== mine) return
    if (answer.ok) {
      byHost.value[hostId] = answer.value
      lists.value[hostId] = { loading: false, loaded: true }
    } else {
      lists.value[hostId] = { loading: false, loaded: lists.value[hostId]?.loaded ?? false, error: answer.error }
    }
    options.settled?.(hostId, answer.ok)
  }

  function forget(hostId: string): void {
    generation.set(hostId, (generation.get(hostId) ?? 0) + 1)
    clearTimeout(timers.get(hostId))
    timers.delete(hostId)
    delete byHost.value[hostId]
    delete lists.value[hostId]
  }

  function stale(hostId: string): void {
    if (!lists.value[hostId]?.loaded) return
    clearTimeout(timers.get(hostId))
    timers.set(
      hostId,
      setTimeout(() => {
        timers.delete(hostId)
        void fetch(hostId)
      }, options.quietMs ?? REFETCH_QUIET_MS),
    )
  }

  const kinds = new Set(options.refetchOn?.objects ?? [])
  const offs = [
    kinds.size > 0
      ? api.on('engine.objectChanged', (change) => {
          if (kinds.has(change.kind)) stale(change.hostId)
        })
      : undefined,
    options.refetchOn?.containers ? api.on('container.stateChanged', (change) => stale(change.hostId)) : undefined,
  ]
  onScopeDispose(() => {
    for (const off of offs) off?.()
    for (const timer of timers.values()) clearTimeout(timer)
  })

  return { byHost, lists, fetch, forget }
}
