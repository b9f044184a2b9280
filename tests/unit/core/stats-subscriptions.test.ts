/**
 * Counting stats subscribers per client: the agent (one connection for every window) is asked
 * to sample while at least one window wants it, at the shortest interval any window asked for.
 */
import { describe, expect, it } from 'vitest'
import type { HostLink } from '../../../main/core/hosts/host-link'
import { StatsSubscriptions } from '../../../main/core/stats-subscriptions'
import type { HostView } from '../../../protocol/schema'
import { BerthError } from '../../../protocol/errors'

function fakeHost() {
  const calls: Array<[string, unknown]> = []
  const host = {
    snapshot: { id: 'h1', state: 'connected' } as HostView,
    refuse: undefined as BerthError | undefined,
    calls,
    async request(method: string, params: { intervalMs?: number }) {
      if (host.refuse) throw host.refuse
      calls.push([method, params])
      return method === 'stats.subscribe' ? { intervalMs: params.intervalMs } : { subscribed: false }
    },
  }
  const subs = new StatsSubscriptions((hostId) => {
    if (hostId !== 'h1') throw new BerthError('NOT_FOUND', `there is no host with id ${hostId}`)
    return host as unknown as HostLink
  })
  subs.hostChanged(host.snapshot)
  return { host, subs }
}

describe('stats subscriptions shared between windows', () => {
  it('keeps the agent subscribed until the last client leaves', async () => {
    const { host, subs } = fakeHost()
    await subs.subscribe('h1', 'a', { intervalMs: 2000 })
    await subs.subscribe('h1', 'b', { intervalMs: 2000 })
    expect(await subs.unsubscribe('h1', 'b')).toEqual({ subscribed: false })
    expect(host.calls.map(([m]) => m)).toEqual(['stats.subscribe', 'stats.subscribe'])
    expect(subs.subscribers('h1')).toEqual(['a'])
    await subs.unsubscribe('h1', 'a')
    expect(host.calls.at(-1)).toEqual(['stats.unsubscribe', {}])
    expect(subs.subscribers('h1')).toEqual([])
  })

  it('counts a client once however often it subscribes, and a client that goes as unsubscribed', async () => {
    const { host, subs } = fakeHost()
    await subs.subscribe('h1', 'a', {})
    await subs.subscribe('h1', 'a', {})
    await subs.subscribe('h1', 'b', {})
    await subs.clientGone('a')
    expect(host.calls.filter(([m]) => m === 'stats.unsubscribe')).toEqual([])
    await subs.clientGone('b')
    expect(host.calls.filter(([m]) => m === 'stats.unsubscribe')).toHaveLength(1)
    // a client unknown to the host changes nothing
    await subs.clientGone('c')
    expect(await subs.unsubscribe('h1', 'c')).toEqual({ subscribed: false })
    expect(host.calls.filter(([m]) => m === 'stats.unsubscribe')).toHaveLength(1)
  })

  it('samples at the shortest interval asked for, and slows down when that client leaves', async () => {
    const { host, subs } = fakeHost()
    expect(await subs.subscribe('h1', 'slow', { intervalMs: 5000 })).toEqual({ intervalMs: 5000 })
    expect(await subs.subscribe('h1', 'fast', { intervalMs: 1000 })).toEqual({ intervalMs: 1000 })
    await subs.unsubscribe('h1', 'fast')
    expect(host.calls.at(-1)).toEqual(['stats.subscribe', { intervalMs: 5000 }])
    expect(await subs.subscribe('h1', 'default', {})).toEqual({ intervalMs: 2000 })
  })

  it('subscribes the agent again when the host comes back, only on that return', async () => {
    const { host, subs } = fakeHost()
    await subs.subscribe('h1', 'a', { intervalMs: 1000 })
    host.snapshot = { ...host.snapshot, state: 'error' }
    subs.hostChanged(host.snapshot)
    host.snapshot = { ...host.snapshot, state: 'connected' }
    subs.hostChanged(host.snapshot)
    subs.hostChanged(host.snapshot) // another update while connected (engine facts)
    expect(host.calls).toEqual([
      ['stats.subscribe', { intervalMs: 1000 }],
      ['stats.subscribe', { intervalMs: 1000 }],
    ])
  })

  it('lets a client leave while the host is away, so nothing is taken up on return', async () => {
    const { host, subs } = fakeHost()
    await subs.subscribe('h1', 'a', {})
    host.snapshot = { ...host.snapshot, state: 'disconnected' }
    subs.hostChanged(host.snapshot)
    expect(await subs.unsubscribe('h1', 'a')).toEqual({ subscribed: false })
    host.snapshot = { ...host.snapshot, state: 'connected' }
    subs.hostChanged(host.snapshot)
    expect(host.calls).toHaveLength(1)
  })

  it('forgets a refused subscription, and names an unknown host', async () => {
    const { host, subs } = fakeHost()
    host.refuse = new BerthError('UNREACHABLE', 'h1 is not connected')
    await expect(subs.subscribe('h1', 'a', {})).rejects.toThrow('h1 is not connected')
    expect(subs.subscribers('h1')).toEqual([])
    await expect(subs.subscribe('h9', 'a', {})).rejects.toThrow('there is no host with id h9')
  })
})
