/** The guard on one host's events, on a clock of its own. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventGuard, MAX_EVENTS_PER_HOST_PER_SECOND, MAX_HELD_EVENTS } from '../../../main/core/hosts/event-guard'

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

function guard() {
  vi.useFakeTimers()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const relayed: { event: string; payload: Record<string, unknown> }[] = []
  const g = new EventGuard(
    () => 'box',
    (event, payload) => relayed.push({ event, payload }),
    () => Date.now(),
  )
  return { g, relayed }
}

const fill = (g: EventGuard) => {
  for (let i = 0; i < MAX_EVENTS_PER_HOST_PER_SECOND; i++) g.offer('stats.sample', { at: i })
}

describe('EventGuard', () => {
  it('counts the lines of a held batch that a later one replaces as skipped', () => {
    const { g, relayed } = guard()
    g.own({ followId: 'f' })
    fill(g)
    g.offer('logs.lines', { followId: 'f', lines: [{ text: 'a' }, { text: 'b' }] })
    g.offer('logs.lines', { followId: 'f', lines: [{ text: 'c' }], skipped: 3 })
    vi.advanceTimersByTime(1000)
    expect(relayed.at(-1)).toEqual({ event: 'logs.lines', payload: { followId: 'f', lines: [{ text: 'c' }], skipped: 5 } })
  })

  it('drops, and counts, events about more objects than may wait', () => {
    const { g, relayed } = guard()
    fill(g)
    for (let i = 0; i < MAX_HELD_EVENTS + 25; i++) g.offer('container.stateChanged', { id: `c${i}`, action: 'start' })
    expect(g.dropped).toBe(25)
    vi.advanceTimersByTime(1000)
    // the held ones go out as the seconds allow, no faster
    expect(relayed).toHaveLength(2 * MAX_EVENTS_PER_HOST_PER_SECOND)
    vi.advanceTimersByTime(1000)
    expect(relayed).toHaveLength(MAX_EVENTS_PER_HOST_PER_SECOND + MAX_HELD_EVENTS)
  })

  it('relays nothing about a follow or pull it was not given', () => {
    const { g, relayed } = guard()
    g.offer('image.pullProgress', { pullId: 'p', layers: [], done: false })
    g.own({ pullId: 'p' })
    g.offer('image.pullProgress', { pullId: 'p', layers: [], done: true })
    expect(relayed).toEqual([{ event: 'image.pullProgress', payload: { pullId: 'p', layers: [], done: true } }])
  })
})
