/**
 * The agent's one stats sampler, shared by every subscribed connection. It knows which
 * containers run from one list at start and the engine's container events after that (never
 * a list per tick), reads each from its cgroup files where it can and from the engine where
 * it cannot, and emits one sample per interval to every subscriber. It stops, events and
 * all, when the last subscriber leaves.
 */
import type Docker from 'dockerode'
import type { ContainerChange, ContainerStats, StatsSample } from '../../protocol/schema'
import type { EngineEvents } from '../engine/events'
import { type CgroupFiles, CgroupReader } from './cgroup'
import { readFromEngine } from './engine'
import { type StatsReading, sumTotals, toContainerStats } from './math'

export interface StatsSubscriber {
  intervalMs: number
  emit(sample: StatsSample): void
}

interface Tracked {
  id: string
  name: string
  /** Null: read through the engine. */
  files: CgroupFiles | null
  previous?: StatsReading
  /** What the last sample showed for it. */
  shown?: ContainerStats
  /** When the engine was last asked for it, Unix ms. */
  engineAskedAt?: number
}

/**
 * Engine stats calls in flight at once. Even a one-shot call waits for the engine's next
 * collection (it collects once a second), so calls one after another would take a second
 * each; calls in flight together share that wait. The cap keeps a host with thousands of
 * fallbacks from opening thousands of sockets.
 */
const ENGINE_CONCURRENCY = 64
/**
 * How often the engine is asked for one container at most. Each call costs the engine about
 * what a second of `docker stats` does; asked every 2 s, the fallback cost the lab's dockerd as
 * much as `docker stats` itself (bench/stats-cpu.ts). In between, a sample repeats the last figures.
 */
const ENGINE_PERIOD_MS = 4_000
/** Ticks drift by a few ms: a call due within this much counts as due. */
const TICK_SLACK_MS = 250
/** Inspects in flight at once when a host with thousands of running containers is first listed. */
const LOOKUP_CONCURRENCY = 16
/** Containers read from their cgroup files between two yields to the event loop (about 0.15 ms each). */
const CGROUP_BATCH = 25
/** Actions after which a running container may have a new main process (so new cgroup files). */
const NEW_PROCESS_ACTIONS = new Set(['start', 'restart', 'unpause'])

const byName = (a: ContainerStats, b: ContainerStats): number => a.name.localeCompare(b.name)

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

export class StatsSampler {
  private readonly subscribers = new Map<object, StatsSubscriber>()
  private readonly tracked = new Map<string, Tracked>()
  /** Bumped on every event of a container: a slow lookup started before it is then dropped. */
  private readonly changes = new Map<string, number>()
  /** Bumped on every start and stop of the sampler: work of an earlier run is dropped. */
  private run = 0
  private stopEvents: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined
  private syncing: Promise<void> | undefined
  private ticking = false
  private tickStartedAt = 0
  private last: StatsSample | undefined

  constructor(
    private readonly docker: Docker,
    private readonly events: EngineEvents,
    private readonly reader: CgroupReader = new CgroupReader(),
  ) {}

  has(key: object): boolean {
    return this.subscribers.has(key)
  }

  /** The interval in force: the shortest any subscriber asked for. */
  get intervalMs(): number {
    return Math.min(...[...this.subscribers.values()].map((s) => s.intervalMs))
  }

  subscribe(key: object, subscriber: StatsSubscriber): number {
    const first = this.subscribers.size === 0
    this.subscribers.set(key, subscriber)
    if (first) this.start()
    else {
      if (this.last) subscriber.emit(this.last)
      if (this.timer) this.schedule(this.run)
    }
    return this.intervalMs
  }

  unsubscribe(key: object): boolean {
    const had = this.subscribers.delete(key)
    if (had && this.subscribers.size === 0) this.stop()
    return had
  }

  private start(): void {
    const run = ++this.run
    this.stopEvents = this.events.subscribe({
      containerChanged: (change) => this.onChange(change, run),
      // the stream was down: containers may have started or stopped unseen
      engineState: (available) => {
        if (available) void this.sync(run)
      },
    })
    void this.sync(run).then(() => this.tick(run))
  }

  private stop(): void {
    this.run++
    clearTimeout(this.timer)
    this.timer = undefined
    this.stopEvents?.()
    this.stopEvents = undefined
    this.tracked.clear()
    this.changes.clear()
    this.syncing = undefined
    this.last = undefined
  }

  /** Takes the list of running containers; a container with an event since it was asked keeps the event's word. */
  private sync(run: number): Promise<void> {
    this.syncing ??= (async () => {
      const asked = new Map(this.changes)
      try {
        const infos = await this.docker.listContainers({ filters: { status: ['running'] } })
        if (run !== this.run) return
        const running = new Set(infos.map((i) => i.Id))
        for (const id of this.tracked.keys()) if (!running.has(id) && this.changes.get(id) === asked.get(id)) this.tracked.delete(id)
        const fresh = infos.filter((i) => !this.tracked.has(i.Id) && this.changes.get(i.Id) === asked.get(i.Id))
        await eachLimited(fresh, LOOKUP_CONCURRENCY, (i) => this.track(i.Id, (i.Names?.[0] ?? i.Id.slice(0, 12)).replace(/^\//, ''), run))
      } catch {
        // the engine is away; its return brings engineState(true) and another sync
      } finally {
        if (run === this.run) this.syncing = undefined
      }
    })()
    return this.syncing
  }

  private onChange(change: ContainerChange, run: number): void {
    const stamp = (this.changes.get(change.id) ?? 0) + 1
    this.changes.set(change.id, stamp)
    const container = change.container
    if (container?.state !== 'running') {
      this.tracked.delete(change.id)
      // a removed container has no more events: its stamp need not be kept (a lookup still in flight sees it gone)
      if (container === null) this.changes.delete(change.id)
      return
    }
    const known = this.tracked.get(change.id)
    if (known && !NEW_PROCESS_ACTIONS.has(change.action)) known.name = container.name
    else void this.track(change.id, container.name, run)
  }

  /** Finds a running container's main process and, through it, its cgroup files. */
  private async track(id: string, name: string, run: number): Promise<void> {
    const stamp = this.changes.get(id)
    try {
      const info = await this.docker.getContainer(id).inspect()
      if (!info.State.Running || !info.State.Pid) return
      const files = this.reader.locate(id, info.State.Pid, info.HostConfig.NetworkMode === 'host')
      if (run !== this.run || this.changes.get(id) !== stamp) return
      this.tracked.set(id, { id, name, files })
    } catch {
      // gone before it could be looked at: its destroy event is on its way
    }
  }

  /** The next tick one interval after the last one began, so a slow read does not stretch the period. */
  private schedule(run: number): void {
    clearTimeout(this.timer)
    const wait = Math.max(0, this.tickStartedAt + this.intervalMs - Date.now())
    this.timer = setTimeout(() => void this.tick(run), wait)
  }

  private async tick(run: number): Promise<void> {
    if (run !== this.run || this.ticking) return
    this.ticking = true
    this.tickStartedAt = Date.now()
    try {
      const containers = await this.sample()
      if (run !== this.run) return
      containers.sort(byName)
      this.last = { at: Date.now(), intervalMs: this.intervalMs, containers, totals: sumTotals(containers) }
      for (const subscriber of this.subscribers.values()) subscriber.emit(this.last)
    } finally {
      this.ticking = false
      if (run === this.run) this.schedule(run)
    }
  }

  private async sample(): Promise<ContainerStats[]> {
    const out: ContainerStats[] = []
    const viaEngine: Tracked[] = []
    const record = (entry: Tracked, reading: StatsReading): void => {
      // restarted meanwhile: the new entry starts its own history
      if (this.tracked.get(entry.id) !== entry) return
      entry.shown = toContainerStats(entry.id, entry.name, reading, entry.previous)
      entry.previous = reading
      out.push(entry.shown)
    }
    let read = 0
    for (const entry of [...this.tracked.values()]) {
      if (!entry.files) {
        viaEngine.push(entry)
        continue
      }
      // other connections' work (a terminal, a log) waits at most one batch
      if (++read % CGROUP_BATCH === 0) await new Promise((resolve) => setImmediate(resolve))
      try {
        record(entry, this.reader.read(entry.files))
      } catch {
        // the files went away (the process exited, or a layout change): the engine knows
        entry.files = null
        viaEngine.push(entry)
      }
    }
    const now = Date.now()
    const due = viaEngine.filter((entry) => {
      const fresh = entry.shown && entry.engineAskedAt !== undefined && now - entry.engineAskedAt < ENGINE_PERIOD_MS - TICK_SLACK_MS
      if (fresh) out.push({ ...entry.shown!, name: entry.name })
      return !fresh
    })
    await eachLimited(due, ENGINE_CONCURRENCY, async (entry) => {
      entry.engineAskedAt = now
      try {
        const reading = await readFromEngine(this.docker, entry.id)
        if (reading) record(entry, reading)
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) this.tracked.delete(entry.id)
      }
    })
    return out
  }
}
