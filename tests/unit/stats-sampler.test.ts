import type Docker from 'dockerode'
import { describe, expect, it, vi } from 'vitest'
import type { EngineEventListener, EngineEvents } from '../../agent/engine/events'
import type { CgroupReader } from '../../agent/stats/cgroup'
import type { StatsReading } from '../../agent/stats/math'
import { StatsSampler } from '../../agent/stats/sampler'
import type { ContainerSummary, StatsSample } from '../../protocol/schema'

const TICK_MS = 20
/** Stand-ins for connections: the sampler keys its subscribers by connection. */
const peers = { peer: {}, one: {}, two: {}, slow: {}, fast: {} }

/** An engine with running containers, an event source and a cgroup reader that can see some of them. */
function world(running: Record<string, { name: string; readable: boolean }>) {
  const listeners = new Set<EngineEventListener>()
  const events = {
    subscribe: vi.fn((l: EngineEventListener) => {
      listeners.add(l)
      return () => listeners.delete(l)
    }),
  }
  let usage = 0
  const reading = (source: StatsReading['source']): StatsReading => ({
    atMs: Date.now(),
    cpuUsageNs: (usage += 1_000_000),
    memoryBytes: 100,
    memoryLimitBytes: 1000,
    networkRxBytes: 0,
    networkTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: 1,
    source,
  })
  const engineCalls: string[] = []
  const docker = {
    listContainers: vi.fn(async () => Object.entries(running).map(([Id, c]) => ({ Id, Names: [`/${c.name}`] }))),
    getContainer: (id: string) => ({
      inspect: async () => ({ State: { Running: id in running, Pid: 10 }, HostConfig: { NetworkMode: 'none' } }),
      stats: vi.fn(async () => {
        engineCalls.push(id)
        if (!(id in running)) throw Object.assign(new Error('no such container'), { statusCode: 404 })
        const r = reading('engine')
        return { read: new Date(r.atMs).toISOString(), cpu_stats: { cpu_usage: { total_usage: r.cpuUsageNs } }, memory_stats: { usage: 100, limit: 1000 } }
      }),
    }),
  }
  const reader = {
    locate: vi.fn((id: string) => (running[id]?.readable ? ({ version: 2, cpu: id } as never) : null)),
    read: vi.fn(() => reading('cgroup')),
  }
  const sampler = new StatsSampler(docker as unknown as Docker, events as unknown as EngineEvents, reader as unknown as CgroupReader)
  const emit = (id: string, action: string, container: Partial<ContainerSummary> | null) => {
    for (const l of listeners) l.containerChanged({ id, action, container: container as ContainerSummary | null })
  }
  return { sampler, docker, events, listeners, reader, emit, running, engineCalls }
}

function collector() {
  const samples: StatsSample[] = []
  return { samples, subscriber: { intervalMs: TICK_MS, emit: (s: StatsSample) => samples.push(s) } }
}

const names = (s: StatsSample | undefined) => s?.containers.map((c) => `${c.name}:${c.source}`)

describe('StatsSampler', () => {
  it('samples every running container, from its cgroup files where readable and the engine elsewhere', async () => {
    const w = world({ a1: { name: 'a', readable: true }, b1: { name: 'b', readable: false } })
    const c = collector()
    w.sampler.subscribe(peers.peer, c.subscriber)
    await vi.waitFor(() => expect(c.samples.length).toBeGreaterThanOrEqual(3))
    expect(names(c.samples.at(-1))).toEqual(['a:cgroup', 'b:engine'])
    // the first sample has no CPU figure yet; later ones do
    expect(c.samples[0]!.containers[0]!.cpuPercent).toBeNull()
    expect(c.samples.at(-1)!.containers[0]!.cpuPercent).toBeGreaterThan(0)
    // one list at start; events do the rest
    expect(w.docker.listContainers).toHaveBeenCalledTimes(1)
    w.sampler.unsubscribe(peers.peer)
  })

  it('asks the engine for a container at most every 4 s, repeating its last figures in between', async () => {
    const w = world({ a1: { name: 'a', readable: true }, b1: { name: 'b', readable: false } })
    const c = collector()
    w.sampler.subscribe(peers.peer, c.subscriber)
    await vi.waitFor(() => expect(c.samples.length).toBeGreaterThanOrEqual(5))
    expect(w.engineCalls).toEqual(['b1'])
    expect(w.reader.read.mock.calls.length).toBeGreaterThanOrEqual(5) // the cgroup files are read every tick
    expect(names(c.samples.at(-1))).toEqual(['a:cgroup', 'b:engine'])
    w.sampler.unsubscribe(peers.peer)
  })

  it('follows container events: a started one joins, a stopped one leaves', async () => {
    const w = world({ a1: { name: 'a', readable: true } })
    const c = collector()
    w.sampler.subscribe(peers.peer, c.subscriber)
    await vi.waitFor(() => expect(names(c.samples.at(-1))).toEqual(['a:cgroup']))
    w.running.n1 = { name: 'new', readable: true }
    w.emit('n1', 'start', { name: 'new', state: 'running' })
    await vi.waitFor(() => expect(names(c.samples.at(-1))).toEqual(['a:cgroup', 'new:cgroup']))
    w.emit('a1', 'die', { name: 'a', state: 'exited' })
    await vi.waitFor(() => expect(names(c.samples.at(-1))).toEqual(['new:cgroup']))
    w.emit('n1', 'rename', { name: 'renamed', state: 'running' })
    await vi.waitFor(() => expect(names(c.samples.at(-1))).toEqual(['renamed:cgroup']))
    expect(w.docker.listContainers).toHaveBeenCalledTimes(1)
    w.sampler.unsubscribe(peers.peer)
  })

  it('is shared: a second subscriber gets the last sample at once, and the last to leave stops it all', async () => {
    const w = world({ a1: { name: 'a', readable: true } })
    const first = collector()
    const second = collector()
    w.sampler.subscribe(peers.one, first.subscriber)
    await vi.waitFor(() => expect(first.samples.length).toBeGreaterThan(0))
    w.sampler.subscribe(peers.two, second.subscriber)
    expect(second.samples).toHaveLength(1)
    expect(w.events.subscribe).toHaveBeenCalledTimes(1)
    expect(w.sampler.unsubscribe(peers.one)).toBe(true)
    const before = second.samples.length
    await vi.waitFor(() => expect(second.samples.length).toBeGreaterThan(before))
    w.sampler.unsubscribe(peers.two)
    expect(w.listeners.size).toBe(0) // no engine event stream kept open for nobody
    const reads = w.reader.read.mock.calls.length
    await new Promise((r) => setTimeout(r, TICK_MS * 4))
    expect(w.reader.read.mock.calls.length).toBe(reads)
  })

  it('uses the shortest interval any subscriber asked for', () => {
    const w = world({})
    expect(w.sampler.subscribe(peers.slow, { intervalMs: 5000, emit: () => {} })).toBe(5000)
    expect(w.sampler.subscribe(peers.fast, { intervalMs: 1000, emit: () => {} })).toBe(1000)
    w.sampler.unsubscribe(peers.fast)
    expect(w.sampler.intervalMs).toBe(5000)
    w.sampler.unsubscribe(peers.slow)
  })
})
