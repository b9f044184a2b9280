// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DiskUsage, EngineInfo } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import { REFETCH_QUIET_MS } from '../../renderer/src/api/use-host-list'
import { useNetworksStore } from '../../renderer/src/features/networks/networks-store'
import { DISK_QUIET_MS, useDiskStore } from '../../renderer/src/features/system/disk-store'
import HostInfoPanel from '../../renderer/src/features/system/HostInfoPanel.vue'
import { useVolumesStore } from '../../renderer/src/features/volumes/volumes-store'
import { container, createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore = () => {}
beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  restore()
  vi.useRealTimers()
})

const section = (totalCount: number, sizeBytes: number) => ({ totalCount, active: 0, sizeBytes, reclaimableBytes: 0, items: [] })
const usage = (images: number): DiskUsage => ({ images: section(images, images * 1_000_000), containers: section(0, 0), volumes: section(0, 0), buildCache: section(0, 0) })
const stopped = (hostId: string) => {
  const c = container({ name: 'job', state: 'exited' })
  return { hostId, id: c.id, action: 'die', container: c }
}

describe('lists kept current with changes made elsewhere on the host', () => {
  it('refetches a shown list once after a burst of engine events for its kind, and leaves other kinds and hosts alone', async () => {
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

  it('measures disk use again once a burst of container, image, volume or network changes is over', async () => {
    let images = 1
    fake.handle('system.df', () => usage(images))
    const disk = useDiskStore()
    await disk.fetch('h1')
    vi.useFakeTimers()
    images = 2
    fake.emit('container.stateChanged', stopped('h1'))
    await vi.advanceTimersByTimeAsync(DISK_QUIET_MS / 2)
    fake.emit('engine.objectChanged', { hostId: 'h1', kind: 'image', action: 'delete', id: 'sha256:1' })
    fake.emit('engine.objectChanged', { hostId: 'h1', kind: 'volume', action: 'destroy', id: 'v1' })
    // the burst goes on: nothing is measured until it is over
    await vi.advanceTimersByTimeAsync(DISK_QUIET_MS - 1)
    expect(fake.calls('system.df')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.calls('system.df')).toEqual([{ hostId: 'h1' }, { hostId: 'h1' }])
    expect(disk.byHost.h1?.images.totalCount).toBe(2)
    // a host whose disk use was never shown is not measured
    fake.emit('engine.objectChanged', { hostId: 'h2', kind: 'network', action: 'create', id: 'n2' })
    await vi.advanceTimersByTimeAsync(DISK_QUIET_MS * 2)
    expect(fake.calls('system.df')).toHaveLength(2)
  })

  it('shows host details with the counts after the latest container change', async () => {
    let running = 1
    const info = (): EngineInfo => ({
      arch: 'amd64', os: 'linux', engineVersion: '27.1.1', apiVersion: '1.46', hostname: 'web-1',
      containers: { total: 2, running, paused: 0, stopped: 2 - running },
    })
    fake.handle('engine.info', info)
    const wrapper = mount(HostInfoPanel, { props: { hostId: 'h1' } })
    await flushPromises()
    expect(wrapper.text()).toContain('2 (1 running, 0 paused, 1 stopped)')
    vi.useFakeTimers()
    running = 0
    fake.emit('container.stateChanged', stopped('h1'))
    await vi.advanceTimersByTimeAsync(REFETCH_QUIET_MS)
    await flushPromises()
    expect(fake.calls('engine.info')).toHaveLength(2)
    expect(wrapper.text()).toContain('2 (0 running, 0 paused, 2 stopped)')
    wrapper.unmount()
  })
})
