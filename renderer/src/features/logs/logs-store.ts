/**
 * Log viewers' state, one per open viewer (keyed by host and container). Lines are kept out
 * of Vue's deep reactivity (a 100,000-line array of reactive objects would crawl): each view
 * holds a raw array and a revision number that changes whenever the array does.
 */
import { defineStore } from 'pinia'
import { markRaw, ref } from 'vue'
import { MAX_LOG_TAIL_LINES, type LogLine } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'

/** A viewer keeps at most this many lines; following drops the oldest past it. */
export const MAX_VIEW_LINES = 100_000

export interface LogOptions {
  tail: number
  /** Unix seconds or RFC 3339; empty for none. */
  since: string
}

export interface LogView {
  hostId: string
  containerId: string
  lines: LogLine[]
  revision: number
  loading: boolean
  truncated: boolean
  tty: boolean
  error?: ErrorView
  followId?: string
  following: boolean
  /** Lines the agent left out while following, because they came faster than the link carries. */
  skipped: number
  ended?: string
}

const keyOf = (hostId: string, containerId: string) => `${hostId}/${containerId}`

/** An engine time ("…:05.12Z", nanoseconds with trailing zeros cut) made comparable as text. */
export function timeKey(time: string): string {
  const m = /^([^.Z]+)(?:\.(\d+))?Z$/.exec(time)
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}` : time
}

function sinceParam(since: string): { since?: number | string } {
  const s = since.trim()
  if (!s) return {}
  return /^\d+(\.\d+)?$/.test(s) ? { since: Number(s) } : { since: s }
}

export const useLogsStore = defineStore('logs', () => {
  const api = useApi()
  const views = ref<Record<string, LogView>>({})
  const byFollow = new Map<string, string>()
  /** Per follow, the time of the page's last line: lines up to it are already shown. */
  const shownUpTo = new Map<string, string>()

  function append(view: LogView, lines: LogLine[]): void {
    const all = view.lines
    for (const l of lines) all.push(l)
    if (all.length > MAX_VIEW_LINES) all.splice(0, all.length - MAX_VIEW_LINES)
    view.revision++
  }

  api.on('logs.lines', ({ followId, lines, skipped }) => {
    const view = views.value[byFollow.get(followId) ?? '']
    if (!view) return
    view.skipped += skipped ?? 0
    const upTo = shownUpTo.get(followId)
    if (upTo === undefined) return append(view, lines)
    const fresh = lines.filter((l) => !l.time || timeKey(l.time) > upTo)
    if (fresh.length) shownUpTo.delete(followId)
    append(view, fresh)
  })
  api.on('logs.ended', ({ followId, reason, message }) => {
    const key = byFollow.get(followId)
    byFollow.delete(followId)
    shownUpTo.delete(followId)
    const view = views.value[key ?? '']
    if (!view || view.followId !== followId) return
    view.followId = undefined
    view.following = false
    view.ended = message ? `${reason}: ${message}` : reason
  })

  function view(hostId: string, containerId: string): LogView {
    const key = keyOf(hostId, containerId)
    views.value[key] ??= {
      hostId, containerId, lines: markRaw([]), revision: 0, loading: false, truncated: false, tty: false, following: false, skipped: 0,
    }
    // the stored proxy, not the plain object: changes through it must be seen
    return views.value[key]
  }

  async function stopFollowing(v: LogView): Promise<void> {
    const followId = v.followId
    v.following = false
    v.followId = undefined
    if (!followId) return
    byFollow.delete(followId)
    shownUpTo.delete(followId)
    await api.invoke('logs.unfollow', { hostId: v.hostId, followId }).catch(() => {})
  }

  /**
   * Reads a fresh page; when following, the follow restarts from its end. Times are always
   * asked for (the viewer shows them or not), so a follow can pick up right after the page.
   */
  async function load(hostId: string, containerId: string, options: LogOptions): Promise<void> {
    const v = view(hostId, containerId)
    const wasFollowing = v.following
    await stopFollowing(v)
    v.loading = true
    v.error = undefined
    v.ended = undefined
    v.skipped = 0
    try {
      const page = await api.invoke('logs.read', {
        hostId, id: containerId, tail: options.tail, timestamps: true, ...sinceParam(options.since),
      })
      v.lines = markRaw(page.lines)
      v.truncated = page.truncated
      v.tty = page.tty
      v.revision++
    } catch (err) {
      v.error = toErrorView(err)
    } finally {
      v.loading = false
    }
    if (wasFollowing && !v.error) await follow(hostId, containerId)
  }

  /**
   * Follows from the page's last line on: lines written between the read and the follow are
   * not lost, and those the page already holds are dropped when they come again.
   */
  async function follow(hostId: string, containerId: string): Promise<void> {
    const v = view(hostId, containerId)
    if (v.following) return
    v.following = true
    v.ended = undefined
    const last = v.lines.at(-1)?.time
    const from = last ? { since: last, tail: MAX_LOG_TAIL_LINES } : { tail: 0 }
    try {
      const { followId } = await api.invoke('logs.follow', { hostId, id: containerId, timestamps: true, ...from })
      if (!v.following) {
        await api.invoke('logs.unfollow', { hostId, followId }).catch(() => {})
        return
      }
      v.followId = followId
      byFollow.set(followId, keyOf(hostId, containerId))
      if (last) shownUpTo.set(followId, timeKey(last))
    } catch (err) {
      v.following = false
      v.error = toErrorView(err)
    }
  }

  async function unfollow(hostId: string, containerId: string): Promise<void> {
    await stopFollowing(view(hostId, containerId))
  }

  /** Forgets a viewer (its follow stops). */
  async function close(hostId: string, containerId: string): Promise<void> {
    const key = keyOf(hostId, containerId)
    const v = views.value[key]
    if (!v) return
    delete views.value[key]
    await stopFollowing(v)
  }

  return { views, view, load, follow, unfollow, close }
})
