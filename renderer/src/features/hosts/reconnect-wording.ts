/**
 * How a host that Berth is reconnecting says so: the same words in the sidebar, the header and
 * the page, with a countdown to the next try.
 */
import { type Ref, ref, watchEffect } from 'vue'
import type { HostView } from '../../../../protocol/schema'

export type Reconnect = NonNullable<HostView['reconnect']>

/** "reconnecting (attempt 2, next try in 4s)", or "… trying now" once that time has come. */
export function reconnectLabel(reconnect: Reconnect, now: number): string {
  const seconds = Math.ceil((reconnect.nextTryAt - now) / 1000)
  return `reconnecting (attempt ${reconnect.attempt}, ${seconds > 0 ? `next try in ${seconds}s` : 'trying now'})`
}

const TICK_MS = 1000

/** The time, ticking every second while `active()` says a countdown is on screen, still otherwise. */
export function useNow(active: () => boolean): Readonly<Ref<number>> {
  const now = ref(Date.now())
  watchEffect((onCleanup) => {
    if (!active()) return
    now.value = Date.now()
    const timer = setInterval(() => (now.value = Date.now()), TICK_MS)
    onCleanup(() => clearInterval(timer))
  })
  return now
}
