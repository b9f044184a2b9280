// @vitest-environment jsdom
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, deferred, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  setActivePinia(createPinia())
})

afterEach(() => restore())

describe('hosts store', () => {
  it('selects the first host when none is connected', async () => {
    fake.handle('hosts.list', () => [host({ id: 'a', name: 'a' }), host({ id: 'b', name: 'b' })])
    const hosts = useHostsStore()
    await hosts.load()
    expect(hosts.selectedId).toBe('a')
    expect(hosts.list.map((h) => h.id)).toEqual(['a', 'b'])
  })

  it('keeps a host.stateChanged that arrives while hosts.list is in flight', async () => {
    const list = deferred<HostView[]>()
    fake.handle('hosts.list', () => list.promise)
    const hosts = useHostsStore()
    const loading = hosts.load()
    fake.emit('host.stateChanged', host({ id: 'a', name: 'a', state: 'connected' }))
    list.resolve([host({ id: 'a', name: 'a', state: 'connecting' })])
    await loading
    expect(hosts.byId.a?.state).toBe('connected')
  })

  it('keeps the load error for the sidebar to show', async () => {
    fake.handle('hosts.list', () => Promise.reject(new Error('nope')))
    const hosts = useHostsStore()
    await hosts.load()
    expect(hosts.loadError).toEqual({ code: 'INTERNAL', message: 'nope' })
  })

  it('adds a host, selects it and connects it', async () => {
    fake.handle('hosts.list', () => [])
    fake.handle('hosts.add', (input) => host({ id: 'n', name: input.name }))
    const connected = deferred<HostView>()
    fake.handle('hosts.connect', () => connected.promise)
    const hosts = useHostsStore()
    await hosts.add({ name: 'web', address: 'web.example.com', port: 22, user: 'deploy' })
    expect(hosts.selectedId).toBe('n')
    expect(fake.calls('hosts.connect')).toEqual([{ hostId: 'n' }])
    expect(hosts.pending.n).toBe('connect')
    connected.resolve(host({ id: 'n', name: 'web', state: 'connected' }))
    await flushPromises()
    expect(hosts.byId.n?.state).toBe('connected')
    expect(hosts.pending.n).toBeUndefined()
  })

  it('hides a declined key until the user connects again', async () => {
    const key = { keyType: 'ssh-rsa', fingerprint: 'SHA256:x' }
    const waiting = host({ id: 'a', name: 'a', state: 'error', pendingHostKey: key })
    fake.handle('hosts.list', () => [waiting])
    // a core that keeps the pending key on disconnect must not bring the prompt back
    fake.handle('hosts.disconnect', () => waiting)
    fake.handle('hosts.connect', () => waiting)
    const hosts = useHostsStore()
    await hosts.load()
    expect(hosts.keyPromptFor('a')).toEqual(key)
    await hosts.declineKey('a')
    expect(hosts.keyPromptFor('a')).toBeUndefined()
    await hosts.connect('a')
    expect(hosts.keyPromptFor('a')).toEqual(key)
  })
})
