// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultApiUrl, WsTransport, type SocketLike } from '../../renderer/src/api/ws-transport'

/** Stands in for the browser's WebSocket: the test opens, feeds and closes it by hand. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  sent: unknown[] = []
  closed = false

  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }

  close(): void {
    this.closed = true
  }

  serverOpens(): void {
    this.onopen?.({})
  }

  serverSends(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }

  serverCloses(): void {
    this.onclose?.({ code: 1006, reason: '' })
  }
}

const latest = () => FakeSocket.all[FakeSocket.all.length - 1]!

let transport: WsTransport

beforeEach(() => {
  FakeSocket.all = []
  vi.useFakeTimers()
  transport = new WsTransport({ url: 'ws://berth.test/api', createSocket: (url) => new FakeSocket(url) })
})

afterEach(() => {
  transport.dispose()
  vi.useRealTimers()
})

describe('WsTransport', () => {
  it('connects to /api on the page\'s own host', () => {
    expect(defaultApiUrl()).toBe(`ws://${location.host}/api`)
    expect(latest().url).toBe('ws://berth.test/api')
  })

  it('queues invokes until the socket opens, then sends them in order', async () => {
    const first = transport.invoke('hosts.list', {})
    const second = transport.invoke('hosts.connect', { hostId: 'h1' })
    expect(latest().sent).toEqual([])

    latest().serverOpens()
    expect(latest().sent).toEqual([
      { t: 'invoke', id: 1, method: 'hosts.list', params: {} },
      { t: 'invoke', id: 2, method: 'hosts.connect', params: { hostId: 'h1' } },
    ])

    latest().serverSends({ t: 'result', id: 2, ok: false, error: { code: 'AUTH_FAILED', message: 'no', detail: { user: 'x' } } })
    latest().serverSends({ t: 'result', id: 1, ok: true, result: [] })
    await expect(first).resolves.toEqual({ ok: true, result: [] })
    await expect(second).resolves.toEqual({ ok: false, error: { code: 'AUTH_FAILED', message: 'no', detail: { user: 'x' } } })
  })

  it('delivers events to the listeners of that event only', () => {
    const hostEvents: unknown[] = []
    const containerEvents: unknown[] = []
    transport.on('host.stateChanged', (p) => hostEvents.push(p))
    const off = transport.on('container.stateChanged', (p) => containerEvents.push(p))
    latest().serverOpens()

    latest().serverSends({ t: 'event', event: 'host.stateChanged', payload: { id: 'h1' } })
    off()
    latest().serverSends({ t: 'event', event: 'container.stateChanged', payload: { id: 'c1' } })
    expect(hostEvents).toEqual([{ id: 'h1' }])
    expect(containerEvents).toEqual([])
  })

  it('fails pending invokes with UNREACHABLE when the socket closes', async () => {
    latest().serverOpens()
    const sent = transport.invoke('containers.stop', { hostId: 'h1', id: 'web' })
    latest().serverCloses()
    const envelope = await sent
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } })
    expect(envelope.ok === false && envelope.error.message).toMatch(/Connection to Berth lost.*containers\.stop/)
  })

  it('fails invokes still queued when the first attempt never opens', async () => {
    const queued = transport.invoke('hosts.list', {})
    latest().serverCloses()
    await expect(queued).resolves.toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } })
  })

  it('ignores a late result after the close', async () => {
    latest().serverOpens()
    const sent = transport.invoke('hosts.list', {})
    const socket = latest()
    socket.serverCloses()
    socket.serverSends({ t: 'result', id: 1, ok: true, result: [] })
    await expect(sent).resolves.toMatchObject({ ok: false })
  })

  it('reports the drop and the return, and reconnects with backoff up to 5 s', () => {
    const changes: boolean[] = []
    transport.onConnectionChange((c) => changes.push(c))
    latest().serverOpens()
    latest().serverCloses()
    expect(changes).toEqual([true, false])

    const delays: number[] = []
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = FakeSocket.all.length
      let waited = 0
      while (FakeSocket.all.length === before) {
        vi.advanceTimersByTime(50)
        waited += 50
      }
      delays.push(waited)
      latest().serverCloses()
    }
    expect(delays[0]).toBeLessThanOrEqual(500)
    expect(delays.every((d, i) => i === 0 || d >= delays[i - 1]!)).toBe(true)
    expect(Math.max(...delays)).toBe(5_000)
    // repeated failures while down are not reported again
    expect(changes).toEqual([true, false])

    vi.advanceTimersByTime(5_000)
    latest().serverOpens()
    expect(changes).toEqual([true, false, true])
  })

  it('keeps listeners across a reconnect', () => {
    const seen: unknown[] = []
    transport.on('host.stateChanged', (p) => seen.push(p))
    latest().serverOpens()
    latest().serverCloses()
    vi.advanceTimersByTime(5_000)
    latest().serverOpens()
    latest().serverSends({ t: 'event', event: 'host.stateChanged', payload: 2 })
    expect(seen).toEqual([2])
  })

  it('ignores frames that are not JSON objects', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    latest().serverOpens()
    latest().onmessage?.({ data: 'not json' })
    expect(warn).toHaveBeenCalled()
    warn.mockRestore()
  })
})
