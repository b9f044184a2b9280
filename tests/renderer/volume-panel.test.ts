// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VolumeSummary } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import VolumePanel from '../../renderer/src/features/volumes/VolumePanel.vue'
import { createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

function volume(name: string, extra: Partial<VolumeSummary> = {}): VolumeSummary {
  return { name, driver: 'local', mountpoint: `/var/lib/docker/volumes/${name}/_data`, labels: {}, created: '', sizeBytes: 1_000, containers: [], dangling: true, ...extra }
}

const used = volume('db-data', { containers: ['db'], dangling: false, sizeBytes: 2_500_000 })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('volumes.list', () => [used, volume('scratch')])
})
afterEach(() => restore())

async function mountPanel() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const wrapper = mount(VolumePanel, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('VolumePanel', () => {
  it('lists volumes with size and users, unused ones marked', async () => {
    const wrapper = await mountPanel()
    const cells = wrapper.get('tr[data-volume="db-data"]').findAll('th, td').map((c) => c.text())
    expect(cells.slice(0, 4)).toEqual(['db-data', 'local', '2.5MB', 'db'])
    expect(wrapper.get('tr[data-volume="scratch"] [data-col="containers"]').text()).toBe('unused')
    wrapper.unmount()
  })

  it('renders only the rows in view when a host has thousands of volumes', async () => {
    fake.handle('volumes.list', () => Array.from({ length: 5000 }, (_, i) => volume(`vol-${String(i).padStart(4, '0')}`)))
    const wrapper = await mountPanel()
    const rows = wrapper.findAll('tr[data-volume]')
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.length).toBeLessThan(100)
    expect(rows[0]!.attributes('data-volume')).toBe('vol-0000')
    wrapper.unmount()
  })

  it('shows the engine refusal to remove a volume in use inside the confirmation', async () => {
    fake.handle('volumes.remove', () => {
      throw new ApiError('CONFLICT', 'volume db-data is in use by container db: remove it first')
    })
    const wrapper = await mountPanel()
    await wrapper.get('button[aria-label="Remove volume db-data"]').trigger('click')
    expect(fake.calls('volumes.remove')).toEqual([])
    await wrapper.get('[role="dialog"]').findAll('button').find((b) => b.text() === 'Remove')!.trigger('click')
    await flushPromises()
    expect(fake.calls('volumes.remove')).toEqual([{ hostId: 'h1', name: 'db-data' }])
    expect(wrapper.get('[role="dialog"] [role="alert"]').text()).toBe('volume db-data is in use by container db: remove it first')
    wrapper.unmount()
  })

  it('prunes only the names the preview listed and the user kept ticked', async () => {
    fake.handle('volumes.prunePreview', () => [volume('scratch'), volume('old')])
    fake.handle('volumes.prune', (p) => ({ removed: p.names, skipped: [], spaceReclaimedBytes: 1_000 }))
    const wrapper = await mountPanel()
    await wrapper.findAll('button').find((b) => b.text() === 'Prune unused…')!.trigger('click')
    await flushPromises()
    await wrapper.get('[data-prune-item="old"] input').setValue(false)
    await wrapper.findAll('button').find((b) => b.text().startsWith('Remove 1'))!.trigger('click')
    await flushPromises()
    expect(fake.calls('volumes.prune')).toEqual([{ hostId: 'h1', names: ['scratch'] }])
    wrapper.unmount()
  })
})
