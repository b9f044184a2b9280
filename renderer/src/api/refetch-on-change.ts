/**
 * Keeps a host's image, network or volume list current with what happens on the host,
 * whoever does it (the CLI, compose, another Berth): the agent relays the engine's events for
 * those objects, and a list already shown is fetched again, once per burst of events.
 */
import type { Ref } from 'vue'
import type { AppEventPayload } from '../../../protocol/schema'
import type { BerthClient } from './client'

/** A pull or a prune sends a burst of events: one refetch after the burst. */
const QUIET_MS = 300

export function refetchOnChange(
  api: Pick<BerthClient, 'on'>,
  kind: AppEventPayload<'engine.objectChanged'>['kind'],
  lists: Ref<Record<string, { loaded: boolean } | undefined>>,
  fetch: (hostId: string) => Promise<void>,
): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  return api.on('engine.objectChanged', (change) => {
    if (change.kind !== kind || !lists.value[change.hostId]?.loaded) return
    clearTimeout(timers.get(change.hostId))
    timers.set(
      change.hostId,
      setTimeout(() => {
        timers.delete(change.hostId)
        void fetch(change.hostId).catch(() => {})
      }, QUIET_MS),
    )
  })
}
