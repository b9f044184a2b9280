// @vitest-environment jsdom
/** A dead container, and one the engine lists as being removed: only what the engine accepts. */
import { createTestingPinia } from '@pinia/testing'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'
import { disabled, openRowMenu } from './row-menu'


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
// after the cleanup above in order, so it runs first (hooks run in reverse): a table left mounted
// keeps its row menus in the page, under the same ids as the next test's
enableAutoUnmount(afterEach)

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountTable>>
/** What the row and its menu let a user do: the enabled buttons and menu items, by name. */
async function enabled(w: Wrapper, name: string): Promise<string[]> {
  const own = w
    .get(`tr[data-container="${name}"]`)
    .findAll('td.actions button')
    .filter((b) => !(b.element as HTMLButtonElement).disabled)
    .map((b) => b.attributes('aria-label')!)
  const menu = await openRowMenu(w, name)
  const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].filter((i) => !disabled(i)).map((i) => i.getAttribute('aria-label')!)
  return [...own, ...items]
}

describe('actions for containers the engine could not remove', () => {
  it('offers a dead container only rename and remove: no start, stop, kill, exec or attach', async () => {
    const w = await mountTable()
    expect(w.get('tr[data-container="gone"] [data-state]').attributes('data-state')).toBe('dead')
    expect(await enabled(w, 'gone')).toEqual(['Remove gone', 'Actions for gone', 'Rename gone', 'Remove gone'])
  })

  it('lets a container listed as "removing" be removed again, and nothing else', async () => {
    const w = await mountTable()
    expect(await enabled(w, 'stuck')).toEqual(['Remove stuck', 'Actions for stuck', 'Remove stuck'])
  })
})
