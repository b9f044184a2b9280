// @vitest-environment jsdom
/** A dead container, and one the engine lists as being removed: only what the engine accepts. */
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/components/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/stores/hosts'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [container({ name: 'gone', state: 'dead', exitCode: 0 }), container({ name: 'stuck', state: 'removing' })])
})

afterEach(() => {
  restore()
  document.body.innerHTML = ''
})

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountTable>>
const enabled = (w: Wrapper, name: string) =>
  w
    .get(`tr[data-container="${name}"]`)
    .findAll('.buttons button, .terminal button')
    .filter((b) => !(b.element as HTMLButtonElement).disabled)
    .map((b) => b.attributes('aria-label'))

describe('actions for containers the engine could not remove', () => {
  it('offers a dead container only rename and remove: no start, stop, kill, exec or attach', async () => {
    const w = await mountTable()
    expect(w.get('tr[data-container="gone"] [data-state]').attributes('data-state')).toBe('dead')
    expect(enabled(w, 'gone')).toEqual(['Rename gone', 'Remove gone'])
  })

  it('lets a container listed as "removing" be removed again, and nothing else', async () => {
    const w = await mountTable()
    expect(enabled(w, 'stuck')).toEqual(['Remove stuck'])
  })
})
