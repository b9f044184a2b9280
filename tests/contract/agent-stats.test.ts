/**
 * stats.subscribe and stats.unsubscribe. The fake engine's containers have no cgroup files on
 * this machine, so every reading takes the engine's one-shot stats call (the fallback path).
 */
import { describe, expect, it } from 'vitest'
import type { StatsSample } from '../../protocol/schema'
import { agentForEachTest } from './fake-engine/agent'
import { idFor } from './fake-engine/fixtures'

const agent = agentForEachTest()

const names = (s: StatsSample) => s.containers.map((c) => c.name)

describe('stats.subscribe', () => {
  it('samples the running containers through the engine, with memory counted as docker stats counts it', async () => {
    expect(await agent.call('stats.subscribe', { intervalMs: 500 })).toEqual({ intervalMs: 500 })
    const sample = await agent.client.nextEvent<StatsSample>('stats.sample', (s) => s.containers.length > 0)
    expect(names(sample)).toEqual(['shell', 'web'])
    expect(sample.containers.find((c) => c.name === 'web')).toEqual({
      id: idFor('web'),
      name: 'web',
      cpuPercent: null,
      memoryBytes: 41_943_040,
      memoryLimitBytes: 8_235_327_488,
      networkRxBytes: 648_000,
      networkTxBytes: 324_000,
      blockReadBytes: 4_096_000,
      blockWriteBytes: 1_024_000,
      pids: 5,
      source: 'engine',
    })
    expect(sample.totals).toMatchObject({ memoryBytes: 2 * 41_943_040, pids: 10 })
    const asked = agent.engine.requested('GET', /\/stats$/)[0]!.query
    expect([asked.get('stream'), asked.get('one-shot')]).toEqual(['false', 'true'])
  })

  it("follows the engine's events: a stopped container leaves the samples, a started one joins", async () => {
    await agent.call('stats.subscribe', { intervalMs: 500 })
    await agent.client.nextEvent<StatsSample>('stats.sample', (s) => s.containers.length === 2)
    await agent.call('containers.stop', { id: 'web' })
    await agent.client.nextEvent<StatsSample>('stats.sample', (s) => names(s).join() === 'shell', 5_000)
    await agent.call('containers.start', { id: 'db' })
    await agent.client.nextEvent<StatsSample>('stats.sample', (s) => names(s).join() === 'db,shell', 5_000)
    // the running set came from one list; after that, events only
    expect(agent.engine.requested('GET', '/containers/json').filter((r) => r.query.get('filters')?.includes('running'))).toHaveLength(1)
  })

  it('runs at the shortest interval any subscriber asked for', async () => {
    const other = await agent.connect()
    expect(await other.call('stats.subscribe', { intervalMs: 5_000 })).toEqual({ intervalMs: 5_000 })
    expect(await agent.call('stats.subscribe', { intervalMs: 1_000 })).toEqual({ intervalMs: 1_000 })
  })

  it('refuses an interval under the minimum', async () => {
    await expect(agent.call('stats.subscribe', { intervalMs: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})

describe('stats.unsubscribe', () => {
  it('stops the samples for that connection', async () => {
    await agent.call('stats.subscribe', { intervalMs: 500 })
    await agent.client.nextEvent('stats.sample')
    expect(await agent.call('stats.unsubscribe', {})).toEqual({ subscribed: false })
    await new Promise((r) => setTimeout(r, 200)) // a sample already on the wire may still land
    const count = agent.client.received('stats.sample').length
    await new Promise((r) => setTimeout(r, 1_200))
    expect(agent.client.received('stats.sample')).toHaveLength(count)
    // the sampler's engine event stream went with its last subscriber
    await expect.poll(() => agent.state.watcherCount).toBe(0)
  })
})
