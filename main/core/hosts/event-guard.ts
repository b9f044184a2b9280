/**
 * What a host's agent may tell every window. Its events go to all windows, so one host that
 * floods them (a broken or hostile agent, an engine in a restart loop) must not flood the app:
 *
 * - An event about a log follow or an image pull is relayed only from the host that follow or
 *   pull belongs to (the id came in a call to that host or in its answer): windows find a
 *   follow or pull by its id alone.
 * - Past MAX_EVENTS_PER_HOST_PER_SECOND, events are held back: a later one about the same
 *   object (a container, an image, a pull, a follow) replaces a held one, and the held ones go
 *   out as the next seconds allow. Past MAX_HELD_EVENTS objects, events are dropped and counted.
 *   The log says so once per host.
 */

/** Events one host may send to the windows in a second before the rest are held back. */
export const MAX_EVENTS_PER_HOST_PER_SECOND = 500
/** Objects whose latest event may wait at once; past it, events are dropped. */
export const MAX_HELD_EVENTS = 1000
const WINDOW_MS = 1000
/** Ids of follows and pulls remembered per host (the oldest are forgotten first). */
const MAX_OWNED_IDS = 4096
/** The fields that name a follow or a pull, in calls, answers and events alike. */
const ROUTING_ID_FIELDS = ['followId', 'pullId'] as const

type Payload = Record<string, unknown>

/** What an event is about: a later event with the same subject supersedes a held one. */
function subjectOf(event: string, p: Payload): string {
  const part = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : '')
  return [event, part('kind'), part('id'), part('followId'), part('pullId')].join('\u0000')
}

/** A held batch of log lines replaced by a later one is not lost without a word: its lines count as skipped. */
function supersede(held: Payload, next: Payload, event: string): Payload {
  if (event !== 'logs.lines') return next
  const skipped = (n: unknown) => (typeof n === 'number' ? n : 0)
  const lost = (Array.isArray(held.lines) ? held.lines.length : 0) + skipped(held.skipped)
  return { ...next, skipped: skipped(next.skipped) + lost }
}

export class EventGuard {
  private readonly owned = new Set<string>()
  private windowStart = 0
  private sent = 0
  private readonly held = new Map<string, { event: string; payload: Payload }>()
  private timer: NodeJS.Timeout | undefined
  private warned = false
  /** Events dropped because too many objects waited. */
  dropped = 0

  constructor(
    private readonly hostName: () => string,
    private readonly relay: (event: string, payload: Payload) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Params of a call to the host, or its answer: the follows and pulls they name are this host's. */
  own(value: unknown): void {
    if (typeof value !== 'object' || value === null) return
    for (const field of ROUTING_ID_FIELDS) {
      const id = (value as Payload)[field]
      if (typeof id !== 'string') continue
      this.owned.delete(`${field}:${id}`)
      this.owned.add(`${field}:${id}`)
      if (this.owned.size > MAX_OWNED_IDS) this.owned.delete(this.owned.values().next().value!)
    }
  }

  /** An event from the host, parsed: relayed now, held back, or dropped. */
  offer(event: string, payload: Payload): void {
    for (const field of ROUTING_ID_FIELDS) {
      if (typeof payload[field] === 'string' && !this.owned.has(`${field}:${payload[field]}`)) return
    }
    this.roll()
    const subject = subjectOf(event, payload)
    const held = this.held.get(subject)
    if (held) {
      held.payload = supersede(held.payload, payload, event)
      return
    }
    if (this.held.size === 0 && this.sent < MAX_EVENTS_PER_HOST_PER_SECOND) {
      this.sent++
      return this.relay(event, payload)
    }
    this.warnOnce()
    if (this.held.size >= MAX_HELD_EVENTS) {
      this.dropped++
      return
    }
    this.held.set(subject, { event, payload })
    this.schedule()
  }

  /** A new second: the held events go first, as many as it allows. */
  private roll(): void {
    const now = this.now()
    if (now - this.windowStart < WINDOW_MS) return
    this.windowStart = now
    this.sent = 0
    for (const [subject, { event, payload }] of this.held) {
      if (this.sent >= MAX_EVENTS_PER_HOST_PER_SECOND) break
      this.held.delete(subject)
      this.sent++
      this.relay(event, payload)
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.held.size === 0) return
    const wait = Math.max(0, this.windowStart + WINDOW_MS - this.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.roll()
      this.schedule()
    }, wait)
    this.timer.unref?.()
  }

  private warnOnce(): void {
    if (this.warned) return
    this.warned = true
    console.warn(
      `berth: ${this.hostName()} sends more than ${MAX_EVENTS_PER_HOST_PER_SECOND} events a second; ` +
        `the excess is held back (the latest per object) and, past ${MAX_HELD_EVENTS} objects waiting, dropped`,
    )
  }
}
