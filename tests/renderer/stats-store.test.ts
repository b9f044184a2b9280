// @vitest-environment jsdom
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { STATS_HISTORY_MS, useStatsStore } from '../../renderer/src/features/containers/stats-store'
import { createFakeApi, host, type FakeApi } from './fake-api'
import { sample, stat } from './stats-fixtures'

let fake: FakeApi
let restore: () => void
let hostState: 'connected' | 'disconnected'

beforeEach(async () => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  setActivePinia(createPinia())
  hostState = 'connected'
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: hostState })])
  fake.handle('stats.subscribe', ({ intervalMs }) => ({ intervalMs: intervalMs ?? 2000 }))
  fake.handle('stats.unsubscribe', () => ({ subscribed: false }))
  await useHostsStore().load()
})

afterEach(() => restore())

describe('stats store', () => {
  it('subscribes once for any number of watchers at the window’s 2 s interval, and unsubscribes after the last', async () => {
    const stats = useStatsStore()
    const release1 = stats.watchHost('h1')
    const release2 = stats.watchHost('h1')
    await flushPromises()
    expect(fake.calls('stats.subscribe')).toEqual([{ hostId: 'h1', intervalMs: 2000 }])
    release1()
    release1() // releasing twice counts once
    expect(fake.calls('stats.unsubscribe')).toEqual([])
    release2()
    expect(fake.calls('stats.unsubscribe')).toEqual([{ hostId: 'h1' }])
  })

  it('unsubscribes even when the host is away, so main does not subscribe this window again on return', async () => {
    const stats = useStatsStore()
    const hosts = useHostsStore()
    const release = stats.watchHost('h1')
    await flushPromises()
    hostState = 'disconnected'
    await hosts.load()
    await flushPromises()
    release()
    expect(fake.calls('stats.unsubscribe')).toEqual([{ hostId: 'h1' }])
  })

  it('keeps the latest sample per host and a few minutes of each container’s CPU and memory', async () => {
    const stats = useStatsStore()
    stats.watchHost('h1')
    await flushPromises()
    const t0 = 1_000_000
    fake.emit('stats.sample', { hostId: 'h1', ...sample(t0, [stat('a', { cpuPercent: null }), stat('b')]) })
    fake.emit('stats.sample', { hostId: 'h1', ...sample(t0 + 2000, [stat('a', { cpuPercent: 50, memoryBytes: 2048 })]) })
    expect(stats.of('h1')?.byId.a).toMatchObject({ cpuPercent: 50, memoryBytes: 2048 })
    expect(stats.of('h1')?.byId.b).toBeUndefined() // b stopped
    expect(stats.historyOf('h1', 'a')).toEqual({ at: [t0, t0 + 2000], cpuPercent: [null, 50], memoryBytes: [1024, 2048] })
    expect(stats.historyOf('h1', 'b').at).toEqual([])
    // points older than the window fall off
    fake.emit('stats.sample', { hostId: 'h1', ...sample(t0 + STATS_HISTORY_MS + 1000, [stat('a', { cpuPercent: 7 })]) })
    expect(stats.historyOf('h1', 'a').cpuPercent).toEqual([50, 7])
  })

  it('ignores samples of hosts nobody watches, and forgets a host once released', async () => {
    const stats = useStatsStore()
    fake.emit('stats.sample', { hostId: 'h1', ...sample(1, [stat('a')]) })
    expect(stats.of('h1')).toBeUndefined()
    const release = stats.watchHost('h1')
    fake.emit('stats.sample', { hostId: 'h1', ...sample(2, [stat('a')]) })
    expect(stats.of('h1')).toBeDefined()
    release()
    expect(stats.of('h1')).toBeUndefined()
  })

  it('subscribes again when the host reconnects or the link to the core returns', async () => {
    const stats = useStatsStore()
    const hosts = useHostsStore()
    stats.watchHost('h1')
    await flushPromises()
    hostState = 'disconnected'
    await hosts.load()
    await flushPromises()
    hostState = 'connected'
    await hosts.load()
    await flushPromises()
    expect(fake.calls('stats.subscribe')).toHaveLength(2)
    fake.setConnected(true)
    await flushPromises()
    expect(fake.calls('stats.subscribe')).toHaveLength(3)
  })

  it('keeps the refusal to show, and sends nothing for a host that is not connected', async () => {
    fake.handle('stats.subscribe', () => {
      throw new ApiError('UNSUPPORTED', 'the agent has no method stats.subscribe')
    })
    const stats = useStatsStore()
    stats.watchHost('h1')
    await flushPromises()
    expect(stats.errors.h1?.message).toBe('the agent has no method stats.subscribe')
    stats.watchHost('nowhere')
    await flushPromises()
    expect(fake.calls('stats.subscribe')).toEqual([{ hostId: 'h1', intervalMs: 2000 }])
  })
})
