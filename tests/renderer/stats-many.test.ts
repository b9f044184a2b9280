// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContainerSummary } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'
import { sample, stat } from './stats-fixtures'

const MANY = 5_000
/** A stats sample for 5,000 rows must not make the table render them all. */
const MAX_RENDERED_ROWS = 80

let fake: FakeApi
let restore: () => void
const list: ContainerSummary[] = Array.from({ length: MANY }, (_, i) => container({ name: `svc-${String(i).padStart(4, '0')}`, state: 'running' }))

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => list)
  fake.handle('stats.subscribe', () => ({ intervalMs: 2000 }))
})
afterEach(() => restore())

describe('stats for a host with 5,000 running containers', () => {
  it('fills the visible rows only, and every row of a later sample is current when scrolled to', async () => {
    const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
    await useHostsStore(pinia).load()
    const w = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] } })
    await flushPromises()
    const emitSample = (at: number, cpu: (i: number) => number) =>
      fake.emit('stats.sample', { hostId: 'h1', ...sample(at, list.map((c, i) => stat(c.id, { name: c.name, cpuPercent: cpu(i) }))) })
    emitSample(1000, () => 1)
    await flushPromises()
    const cells = () => w.findAll('td[data-stat="cpu"]')
    expect(cells().length).toBeGreaterThan(10)
    expect(cells().length).toBeLessThan(MAX_RENDERED_ROWS)
    expect(cells().every((c) => c.text() === '1.00%')).toBe(true)

    emitSample(3000, (i) => i / 100)
    const box = w.get('.table-wrap').element as HTMLElement
    Object.defineProperty(box, 'scrollTop', { configurable: true, value: 46 * 4_000 })
    box.dispatchEvent(new Event('scroll'))
    await flushPromises()
    expect(cells().length).toBeLessThan(MAX_RENDERED_ROWS)
    expect(w.get('tr[data-container="svc-4000"] [data-stat="cpu"]').text()).toBe('40.00%')
  })
})
