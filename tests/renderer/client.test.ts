// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, createClient, type Envelope, type Transport } from '../../renderer/src/api/client'

function transportAnswering(envelope: Envelope): Transport & { listeners: Map<string, (p: unknown) => void> } {
  const listeners = new Map<string, (p: unknown) => void>()
  return {
    listeners,
    invoke: vi.fn(async () => envelope),
    on: (event, listener) => {
      listeners.set(event, listener)
      return () => listeners.delete(event)
    },
  }
}

const hostView = { id: 'h1', name: 'alpha', local: false, address: 'a', port: 22, user: 'u', state: 'connected' }

afterEach(() => {
  delete window.berthBridge
  vi.useRealTimers()
})

describe('api client', () => {
  it('returns the result of an ok envelope', async () => {
    const transport = transportAnswering({ ok: true, result: [hostView] })
    const api = createClient(transport)
    await expect(api.invoke('hosts.list', {})).resolves.toEqual([hostView])
    expect(transport.invoke).toHaveBeenCalledWith('hosts.list', {})
  })

  it('throws an ApiError carrying code, message and detail for ok:false', async () => {
    const detail = { expectedFingerprint: 'SHA256:a', actualFingerprint: 'SHA256:b' }
    const api = createClient(transportAnswering({ ok: false, error: { code: 'HOST_KEY_CHANGED', message: 'key changed', detail } }))
    const err = await api.invoke('hosts.connect', { hostId: 'h1' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'HOST_KEY_CHANGED', message: 'key changed', detail })
  })

  it('turns a result of the wrong shape into PROTOCOL_ERROR', async () => {
    const api = createClient(transportAnswering({ ok: true, result: [{ id: 'h1' }] }))
    await expect(api.invoke('hosts.list', {})).rejects.toMatchObject({ code: 'PROTOCOL_ERROR' })
  })

  it('gives up with TIMEOUT when the core never answers', async () => {
    vi.useFakeTimers()
    const api = createClient({ invoke: () => new Promise<Envelope>(() => {}), on: () => () => {} })
    const answer = api.invoke('hosts.list', {}).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(40_000)
    expect(await answer).toMatchObject({ code: 'TIMEOUT' })
  })

  it('passes valid events on and drops malformed ones', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const transport = transportAnswering({ ok: true, result: null })
    const api = createClient(transport)
    const seen: unknown[] = []
    api.on('host.stateChanged', (view) => seen.push(view.name))
    const deliver = transport.listeners.get('host.stateChanged')!
    deliver({ id: 'h1' })
    deliver(hostView)
    expect(seen).toEqual(['alpha'])
    expect(warn).toHaveBeenCalledOnce()
    warn.mockRestore()
  })

  it('uses Electron\'s bridge when the preload exposed one', async () => {
    const bridge = transportAnswering({ ok: true, result: [] })
    window.berthBridge = bridge
    vi.resetModules()
    const { api } = await import('../../renderer/src/api/client')
    await api.invoke('hosts.list', {})
    expect(bridge.invoke).toHaveBeenCalledWith('hosts.list', {})
  })
})
