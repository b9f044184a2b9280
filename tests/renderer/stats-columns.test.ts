// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'
import { sample, stat } from './stats-fixtures'

let fake: FakeApi
let restore: () => void

const web = container({ name: 'web', state: 'running' })
const db = container({ name: 'db', state: 'exited', exitCode: 0 })
const MiB = 1024 ** 2
const GiB = 1024 ** 3

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [web, db])
  fake.handle('containers.inspect', () => {
    throw new Error('not needed here')
  })
  fake.handle('stats.subscribe', () => ({ intervalMs: 2000 }))
  fake.handle('stats.unsubscribe', () => ({ subscribed: false }))
})

afterEach(() => restore())

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] } })
  await flushPromises()
  return wrapper
}

const webSample = (at: number, cpuPercent: number | null, memoryBytes: number) =>
  sample(at, [stat(web.id, { name: 'web', cpuPercent, memoryBytes, memoryLimitBytes: 2 * GiB, networkRxBytes: 1536 })])

describe('stats in the container list', () => {
  it('subscribes while the list is on screen and adds CPU % and memory columns with the first sample', async () => {
    const wrapper = await mountTable()
    expect(fake.calls('stats.subscribe')).toEqual([{ hostId: 'h1', intervalMs: 2000 }])
    expect(wrapper.findAll('thead th').map((th) => th.text())).not.toContain('CPU %')
    fake.emit('stats.sample', { hostId: 'h1', ...webSample(1000, 12.345, 1.5 * MiB) })
    await flushPromises()
    expect(wrapper.findAll('thead th').map((th) => th.text())).toEqual(['Name / ID', 'Image', 'Command', 'State', 'Status', 'CPU %', 'Memory', 'Ports', 'Actions'])
    const webRow = wrapper.get('tr[data-container="web"]')
    expect(webRow.get('[data-stat="cpu"]').text()).toBe('12.35%')
    expect(webRow.get('[data-stat="memory"]').text()).toBe('1.573MB / 2.147GB')
    // a stopped container has empty cells, and every row still spans the header
    expect(wrapper.get('tr[data-container="db"] [data-stat="cpu"]').text()).toBe('')
    expect(webRow.findAll('th, td')).toHaveLength(9)
    wrapper.unmount()
    expect(fake.calls('stats.unsubscribe')).toEqual([{ hostId: 'h1' }])
  })

  it('shows a dash before a container has a CPU figure, then the next sample’s', async () => {
    const wrapper = await mountTable()
    fake.emit('stats.sample', { hostId: 'h1', ...webSample(1000, null, MiB) })
    await flushPromises()
    expect(wrapper.get('tr[data-container="web"] [data-stat="cpu"]').text()).toBe('–')
    fake.emit('stats.sample', { hostId: 'h1', ...webSample(3000, 0.5, MiB) })
    await flushPromises()
    expect(wrapper.get('tr[data-container="web"] [data-stat="cpu"]').text()).toBe('0.50%')
  })

  it('sums the host in the toolbar', async () => {
    const wrapper = await mountTable()
    fake.emit('stats.sample', {
      hostId: 'h1',
      ...sample(1000, [stat(web.id, { cpuPercent: 150, memoryBytes: MiB, networkRxBytes: 2048 }), stat('other', { cpuPercent: 50.5, memoryBytes: MiB })]),
    })
    await flushPromises()
    const totals = wrapper.get('.toolbar dl')
    expect(totals.get('[data-total="cpu"]').text()).toBe('200.50%')
    expect(totals.get('[data-total="memory"]').text()).toBe('2.097MB')
    expect(totals.get('[data-total="net"]').text()).toBe('2.048kB / 0B')
  })

  it('charts the selected container’s CPU and memory in its details', async () => {
    const wrapper = await mountTable()
    await wrapper.get('tr[data-container="web"] th button').trigger('click')
    await flushPromises()
    expect(wrapper.get('section.details').text()).toContain('Waiting for the first stats sample')
    for (let i = 0; i < 4; i++) fake.emit('stats.sample', { hostId: 'h1', ...webSample(1000 + i * 2000, i * 10, (i + 1) * MiB) })
    await flushPromises()
    const details = wrapper.get('section.details')
    expect(details.get('[data-stat="cpu"]').text()).toBe('30.00%')
    expect(details.get('[data-stat="memory"]').text()).toBe('4.194MB / 2.147GB')
    expect(details.get('[data-stat="net"]').text()).toBe('1.536kB / 0B')
    expect(details.get('[data-stat="source"]').text()).toBe('cgroup files')
    const cpuLine = details.get('svg[aria-label^="CPU over the last"] polyline').attributes('points')!.split(' ')
    expect(cpuLine).toHaveLength(4)
    // CPU is drawn against 100 %: 30 % sits well below the top, 0 % on the bottom edge
    const y = (p: string) => Number(p.split(',')[1])
    expect(y(cpuLine[0]!)).toBeCloseTo(30)
    expect(y(cpuLine[3]!)).toBeGreaterThan(15)
    // memory is drawn against its own peak with some headroom: rising, the last point high but below the edge
    const memLine = details.get('svg[aria-label^="Memory over the last"] polyline').attributes('points')!.split(' ').map(y)
    expect(memLine[0]!).toBeGreaterThan(memLine[3]!)
    expect(memLine[3]!).toBeGreaterThan(2)
    expect(memLine[3]!).toBeLessThan(10)
  })

  it('says a stopped container has no live stats', async () => {
    const wrapper = await mountTable()
    await wrapper.get('tr[data-container="db"] th button').trigger('click')
    await flushPromises()
    expect(wrapper.get('section.details').text()).toContain('Not running: no live stats.')
  })
})
