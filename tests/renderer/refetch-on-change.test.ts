// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { provideApi } from '../../renderer/src/api/use-api'
import { useNetworksStore } from '../../renderer/src/features/networks/networks-store'
import { useVolumesStore } from '../../renderer/src/features/volumes/volumes-store'
import { createFakeApi } from './fake-api'

let restore = () => {}
afterEach(() => {
  restore()
  vi.useRealTimers()
})

describe('lists kept current with changes made elsewhere on the host', () => {
  it('refetches a shown list once after a burst of engine events for its kind, and leaves other kinds and hosts alone', async () => {
    const fake = createFakeApi()
    restore = provideApi(fake.api)
    setActivePinia(createPinia())
    fake.handle('networks.list', async () => [])
    fake.handle('volumes.list', async () => [])
    const networks = useNetworksStore()
    const volumes = useVolumesStore()
    await networks.fetch('h1')
    await volumes.fetch('h1')
    vi.useFakeTimers()
    for (const action of ['create', 'connect', 'disconnect']) fake.emit('engine.objectChanged', { hostId: 'h1', kind: 'network', action, id: 'n1' })
    // a host whose list was never shown is not fetched
    fake.emit('engine.objectChanged', { hostId: 'h2', kind: 'network', action: 'create', id: 'n2' })
    await vi.advanceTimersByTimeAsync(500)
    expect(fake.calls('networks.list')).toEqual([{ hostId: 'h1' }, { hostId: 'h1' }])
    expect(fake.calls('volumes.list')).toHaveLength(1)
  })
})
