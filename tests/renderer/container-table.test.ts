// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContainerSummary } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, deferred, host, type FakeApi } from './fake-api'
import { choose, disabled, menuItem, openRowMenu } from './row-menu'


let fake: FakeApi
let restore: () => void

const web = container({ name: 'web', state: 'running', id: 'f00dfeed1234567890abcdef' })
const db = container({ name: 'db', state: 'exited', exitCode: 0 })
const cache = container({ name: 'cache', state: 'paused' })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [web, db, cache])
})

afterEach(() => restore())
// a table left mounted keeps its row menus in the page, under the same ids as the next test's
enableAutoUnmount(afterEach)

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] } })
  await flushPromises()
  return wrapper
}

const row = (wrapper: Awaited<ReturnType<typeof mountTable>>, name: string) => wrapper.get(`tr[data-container="${name}"]`)
const button = (wrapper: Awaited<ReturnType<typeof mountTable>>, label: string) =>
  wrapper.get<HTMLButtonElement>(`button[aria-label="${label}"]`)

describe('ContainerTable', () => {
  it('shows one row per container, sorted by name, with the short id and a state badge', async () => {
    const wrapper = await mountTable()
    const headers = wrapper.findAll('thead th').map((th) => th.text())
    expect(headers).toEqual(['Name / ID', 'Image', 'Command', 'State', 'Status', 'Ports', 'Actions'])
    expect(wrapper.findAll('tbody tr').map((tr) => tr.attributes('data-container'))).toEqual(['cache', 'db', 'web'])
    const cells = row(wrapper, 'web').findAll('th, td').map((c) => c.text())
    expect(cells.slice(0, 5)).toEqual(['webf00dfeed1234', 'web:latest', '/bin/web', 'running', 'Up 5 minutes'])
    expect(row(wrapper, 'db').get('[data-state]').attributes('data-state')).toBe('exited')
    expect(row(wrapper, 'db').get('[data-state]').text()).toBe('exited (0)')
  })

  it('turns a running row into "exited (3)" when container.stateChanged says so', async () => {
    const wrapper = await mountTable()
    fake.emit('container.stateChanged', {
      hostId: 'h1',
      id: web.id,
      action: 'die',
      container: { ...web, state: 'exited', exitCode: 3, status: 'Exited (3) 1 second ago' },
    })
    await flushPromises()
    const badge = row(wrapper, 'web').get('[data-state]')
    expect(badge.attributes('data-state')).toBe('exited')
    expect(badge.text()).toBe('exited (3)')
    expect(row(wrapper, 'web').text()).toContain('Exited (3) 1 second ago')
  })

  it('removes the row when the container is destroyed', async () => {
    const wrapper = await mountTable()
    fake.emit('container.stateChanged', { hostId: 'h1', id: db.id, action: 'destroy', container: null })
    await flushPromises()
    expect(wrapper.find('tr[data-container="db"]').exists()).toBe(false)
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
  })

  it('enables Start only for created or exited containers, Stop only for running, restarting or paused', async () => {
    const wrapper = await mountTable()
    // the row's own button is the state's next step; the menu has the rest, enabled where the engine accepts it
    expect(button(wrapper, 'Stop web').element.disabled).toBe(false)
    expect(wrapper.find('button[aria-label="Start web"]').exists()).toBe(false)
    expect(button(wrapper, 'Start db').element.disabled).toBe(false)
    await openRowMenu(wrapper, 'web')
    expect(disabled(menuItem('Start web'))).toBe(true)
    expect(disabled(menuItem('Stop web'))).toBe(false)
    await openRowMenu(wrapper, 'db')
    expect(disabled(menuItem('Stop db'))).toBe(true)
    expect(disabled(menuItem('Start db'))).toBe(false)
    await openRowMenu(wrapper, 'cache')
    expect(disabled(menuItem('Stop cache'))).toBe(false)
  })

  it('disables the button while the action is in flight, then lets the event update the row', async () => {
    const call = deferred<{ id: string }>()
    fake.handle('containers.start', () => call.promise)
    const wrapper = await mountTable()

    await button(wrapper, 'Start db').trigger('click')
    expect(fake.calls('containers.start')).toEqual([{ hostId: 'h1', id: db.id }])
    expect(button(wrapper, 'Start db').element.disabled).toBe(true)
    expect(button(wrapper, 'Start db').text()).toBe('Starting…')

    fake.emit('container.stateChanged', { hostId: 'h1', id: db.id, action: 'start', container: { ...db, state: 'running', exitCode: null } })
    call.resolve({ id: db.id })
    await flushPromises()
    // running now: the row offers Stop in Start's place
    expect(wrapper.find('button[aria-label="Start db"]').exists()).toBe(false)
    expect(button(wrapper, 'Stop db').element.disabled).toBe(false)
    expect(row(wrapper, 'db').find('[role="alert"]').exists()).toBe(false)
  })

  it('says in the row that an action chosen from its menu is under way', async () => {
    const call = deferred<{ id: string }>()
    fake.handle('containers.pause', () => call.promise)
    const wrapper = await mountTable()
    await choose(wrapper, 'web', 'Pause web')
    expect(row(wrapper, 'web').get('[role="status"]').text()).toBe('Pausing…')
    expect(button(wrapper, 'Stop web').element.disabled).toBe(true)
    call.resolve({ id: web.id })
    await flushPromises()
    expect(row(wrapper, 'web').find('[role="status"]').exists()).toBe(false)
  })

  it('shows an action\'s error in its row', async () => {
    fake.handle('containers.stop', () => {
      throw new ApiError('ENGINE_UNAVAILABLE', 'the engine did not answer')
    })
    const wrapper = await mountTable()
    await button(wrapper, 'Stop web').trigger('click')
    await flushPromises()
    expect(row(wrapper, 'web').get('[role="alert"]').text()).toBe('the engine did not answer')
    expect(row(wrapper, 'db').find('[role="alert"]').exists()).toBe(false)
    expect(button(wrapper, 'Stop web').element.disabled).toBe(false)
  })

  it('says so while the first list loads, and when the host has no containers', async () => {
    const list = deferred<ContainerSummary[]>()
    fake.handle('containers.list', () => list.promise)
    const wrapper = await mountTable()
    expect(wrapper.get('[role="status"]').text()).toBe('Loading containers…')
    expect(wrapper.find('table').exists()).toBe(false)

    list.resolve([])
    await flushPromises()
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('No containers on this host.')
  })

  it('offers a retry when the list fails', async () => {
    let fail = true
    fake.handle('containers.list', () => {
      if (fail) throw new ApiError('TIMEOUT', 'containers.list timed out')
      return [web]
    })
    const wrapper = await mountTable()
    expect(wrapper.get('[role="alert"]').text()).toContain('containers.list timed out')
    fail = false
    await wrapper.get('button').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('tbody tr')).toHaveLength(1)
  })
})
