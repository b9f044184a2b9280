// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DiskUsage } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import DiskPanel from '../../renderer/src/features/system/DiskPanel.vue'
import { reclaimableText } from '../../renderer/src/features/system/disk-format'
import { humanSize } from '../../renderer/src/ui/units'
import { createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const section = (totalCount: number, active: number, sizeBytes: number, reclaimableBytes: number) => ({ totalCount, active, sizeBytes, reclaimableBytes, items: [] })
const usage: DiskUsage = {
  images: section(3, 1, 1_982_000, 1_000_000),
  containers: section(6, 4, 250_000, 250_000),
  volumes: section(1, 0, 0, 0),
  buildCache: section(0, 0, 0, 0),
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('system.df', () => usage)
  fake.handle('system.prunePreview', () => [{ id: 'c1d2e3f4a5b6', label: 'old-job', detail: 'busybox · Exited (0)', sizeBytes: 250_000 }])
  fake.handle('system.prune', (p) => ({ removed: p.ids, skipped: [], spaceReclaimedBytes: 250_000 }))
})
afterEach(() => restore())

describe('disk sizes', () => {
  it('are written the way docker system df writes them', () => {
    expect([0, 999, 1000, 1_982_000, 300_123, 1_500_000_000].map((bytes) => humanSize(bytes))).toEqual(['0B', '999B', '1kB', '1.982MB', '300.1kB', '1.5GB'])
    expect(reclaimableText(1_000_000, 1_982_000)).toBe('1MB (50%)')
    expect(reclaimableText(0, 0)).toBe('0B')
  })
})

describe('DiskPanel', () => {
  it('shows the df rows and prunes stopped containers only after the preview is confirmed', async () => {
    const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
    const wrapper = mount(DiskPanel, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    const cells = wrapper.get('tr[data-disk="images"]').findAll('th, td').map((c) => c.text())
    expect(cells.slice(0, 5)).toEqual(['Images', '3', '1', '1.982MB', '1MB (50%)'])
    await wrapper.findAll('button').find((b) => b.text() === 'Prune stopped containers…')!.trigger('click')
    await flushPromises()
    expect(fake.calls('system.prunePreview')).toEqual([{ hostId: 'h1', kind: 'containers' }])
    expect(wrapper.get('[data-prune-item="old-job"]').text()).toContain('busybox · Exited (0)')
    expect(fake.calls('system.prune')).toEqual([])
    await wrapper.findAll('button').find((b) => b.text().startsWith('Remove 1'))!.trigger('click')
    await flushPromises()
    expect(fake.calls('system.prune')).toEqual([{ hostId: 'h1', kind: 'containers', ids: ['c1d2e3f4a5b6'] }])
    expect(fake.calls('system.df')).toHaveLength(2)
    wrapper.unmount()
  })
})
