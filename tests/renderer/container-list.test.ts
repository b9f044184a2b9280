// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContainerState, ContainerSummary } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { queryContainers } from '../../renderer/src/features/containers/container-filter'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

const MANY = 5_000
const states: ContainerState[] = ['running', 'exited', 'paused', 'created']

function many(): ContainerSummary[] {
  return Array.from({ length: MANY }, (_, i) =>
    container({
      name: `svc-${String(i).padStart(4, '0')}`,
      state: states[i % states.length]!,
      image: i % 10 === 0 ? 'redis:7' : 'nginx:1.27',
      created: 1_700_000_000 + i,
    }),
  )
}

let fake: FakeApi
let restore: () => void
let list: ContainerSummary[]

beforeEach(() => {
  list = many()
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => list)
})
afterEach(() => restore())

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] } })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountTable>>
const rendered = (w: Wrapper) => w.findAll('tr[data-container]').map((tr) => tr.attributes('data-container'))

async function scrollTo(w: Wrapper, top: number): Promise<void> {
  const box = w.get('.table-wrap').element as HTMLElement
  Object.defineProperty(box, 'scrollTop', { configurable: true, value: top })
  box.dispatchEvent(new Event('scroll'))
  await flushPromises()
}

describe('a host with 5,000 containers', () => {
  it('puts only a window of rows in the DOM, and the rows under the scroll position when scrolled', async () => {
    const w = await mountTable()
    const first = rendered(w)
    expect(first.length).toBeGreaterThan(10)
    expect(first.length).toBeLessThan(80)
    expect(first[0]).toBe('svc-0000')
    expect(w.get('[role="status"]').text()).toBe('5000 containers')
    // the spacer keeps the scroll height of every row
    const spacer = w.get('tr.spacer td').element as HTMLElement
    expect(parseInt(spacer.style.height, 10)).toBeGreaterThan(46 * (MANY - 100))

    await scrollTo(w, 46 * 2_500)
    const later = rendered(w)
    expect(later.length).toBeLessThan(80)
    expect(later).toContain('svc-2500')
    expect(later).not.toContain('svc-0000')
  })

  it('applies an event to one of 5,000 rows without refetching', async () => {
    const w = await mountTable()
    const target = list[3]!
    fake.emit('container.stateChanged', { hostId: 'h1', id: target.id, action: 'start', container: { ...target, state: 'running', exitCode: null } })
    await flushPromises()
    expect(w.get(`tr[data-container="${target.name}"] [data-state]`).attributes('data-state')).toBe('running')
    expect(fake.calls('containers.list')).toHaveLength(1)
  })

  it('filters by state, searches name, image and id, and says how many it shows', async () => {
    const w = await mountTable()
    await w.get('select').setValue('exited')
    expect(w.get('[role="status"]').text()).toBe('1250 of 5000 containers')
    expect(w.findAll('.badge[data-state]').every((b) => b.attributes('data-state') === 'exited')).toBe(true)

    await w.get('input[type="search"]').setValue('REDIS')
    // redis sits at every tenth (even) index, exited ones at odd indexes: none is both
    expect(w.text()).toContain('No container matches this filter.')

    await w.get('select').setValue('all')
    expect(w.get('[role="status"]').text()).toBe('500 of 5000 containers')
    await w.get('input[type="search"]').setValue(list[42]!.id.slice(0, 8))
    expect(rendered(w)).toEqual(['svc-0042'])
  })
})

describe('queryContainers', () => {
  const a = container({ name: 'a', state: 'exited', created: 3 })
  const b = container({ name: 'b', state: 'running', created: 1 })
  const c = container({ name: 'c', state: 'paused', created: 2 })

  it('sorts by name, by state (running first) or by created (newest first)', () => {
    const q = { state: 'all', search: '' } as const
    expect(queryContainers([c, a, b], { ...q, sort: 'name' }).map((x) => x.name)).toEqual(['a', 'b', 'c'])
    expect(queryContainers([c, a, b], { ...q, sort: 'state' }).map((x) => x.name)).toEqual(['b', 'c', 'a'])
    expect(queryContainers([c, a, b], { ...q, sort: 'created' }).map((x) => x.name)).toEqual(['a', 'c', 'b'])
  })
})
