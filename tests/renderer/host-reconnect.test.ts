// @vitest-environment jsdom
/**
 * A host whose link dropped while Berth reconnects by itself: not an error with a Connect
 * button, but "reconnecting (attempt N, next try in Ns)" counting down, in the header, the
 * sidebar and the page, with Retry now (and Disconnect to stop trying).
 */
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import type { HostView } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import HostDetail from '../../renderer/src/features/hosts/HostDetail.vue'
import HostList from '../../renderer/src/features/hosts/HostList.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, host, type FakeApi } from './fake-api'

const NOW = Date.UTC(2030, 0, 1, 12)
let fake: FakeApi
let restore: () => void

beforeEach(() => {
  // only the clock: the store's promises still settle as usual
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval'] })
  fake = createFakeApi()
  restore = provideApi(fake.api)
})
afterEach(() => {
  restore()
  vi.useRealTimers()
})

const dropped = host({
  id: 'h1',
  name: 'alpha',
  state: 'reconnecting',
  reconnect: { attempt: 2, nextTryAt: NOW + 4_000 },
  error: { code: 'UNREACHABLE', message: 'lost the connection to alpha: the SSH connection to deploy@alpha.example.com:22 closed' },
})

/** The host's page and the sidebar, as the store holds the host. */
async function mountHost(view: HostView) {
  fake.handle('hosts.list', () => [view])
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const hosts = useHostsStore(pinia)
  await hosts.load()
  const Window = defineComponent(() => () => h('div', [h(HostList, { hosts: hosts.list }), hosts.selected ? h(HostDetail, { host: hosts.selected }) : null]))
  const wrapper = mount(Window, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const buttons = (wrapper: Awaited<ReturnType<typeof mountHost>>) => wrapper.findAll('.host-header button').map((b) => b.text())

describe('a host that is reconnecting', () => {
  it('says which attempt comes next and counts down to it, in the header, the sidebar and the page', async () => {
    const wrapper = await mountHost(dropped)
    const header = wrapper.get('.host-header .host-state')
    const sidebar = wrapper.get('[data-host="alpha"] .host-state')
    expect(header.text()).toBe('reconnecting (attempt 2, next try in 4s)')
    expect(sidebar.text()).toBe('reconnecting (attempt 2, next try in 4s)')
    const panel = wrapper.get('.host-detail [role="status"]')
    expect(panel.text()).toContain('Berth is reconnecting (attempt 2, next try in 4s).')
    expect(panel.text()).toContain('lost the connection to alpha')

    vi.advanceTimersByTime(3_000)
    await flushPromises()
    expect(header.text()).toBe('reconnecting (attempt 2, next try in 1s)')
    vi.advanceTimersByTime(1_000)
    await flushPromises()
    expect(sidebar.text()).toBe('reconnecting (attempt 2, trying now)')
    wrapper.unmount()
  })

  it('is no error: no alert, no Connect, but Retry now and Disconnect', async () => {
    const wrapper = await mountHost(dropped)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(buttons(wrapper)).toEqual(['Retry now', 'Disconnect', 'Edit', 'Remove'])
    wrapper.unmount()
  })

  it('tries at once on Retry now', async () => {
    fake.handle('hosts.connect', ({ hostId }) => host({ id: hostId, name: 'alpha', state: 'connected' }))
    fake.handle('containers.list', () => [])
    const wrapper = await mountHost(dropped)
    await wrapper.findAll('.host-header button').find((b) => b.text() === 'Retry now')!.trigger('click')
    await flushPromises()
    expect(fake.calls('hosts.connect')).toEqual([{ hostId: 'h1' }])
    expect(wrapper.get('.host-header .host-state').text()).toBe('connected')
    wrapper.unmount()
  })

  it('still shows a failed connect as an error, with Connect', async () => {
    const wrapper = await mountHost({ ...dropped, state: 'error', reconnect: undefined })
    expect(wrapper.get('[role="alert"]').text()).toContain('UNREACHABLE')
    expect(buttons(wrapper)[0]).toBe('Connect')
    wrapper.unmount()
  })
})
