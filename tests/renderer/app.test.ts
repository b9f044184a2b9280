// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { provideApi } from '../../renderer/src/api/use-api'
import App from '../../renderer/src/App.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const laptop = host({ id: 'local', name: 'laptop', local: true, state: 'disconnected' })
const alpha = host({ id: 'h1', name: 'alpha', state: 'connected', arch: 'amd64' })
const beta = host({ id: 'h2', name: 'beta', state: 'connected', arch: 'arm64' })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [laptop, alpha, beta])
  fake.handle('containers.list', ({ hostId }) => [container({ name: `${hostId}-app` })])
})

afterEach(() => {
  restore()
  document.body.innerHTML = ''
})

async function mountApp() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, hosts: useHostsStore(pinia) }
}

describe('App', () => {
  it('lists hosts, selects the first connected one and fetches containers of connected hosts', async () => {
    const { wrapper, hosts } = await mountApp()
    expect(fake.calls('hosts.list')).toHaveLength(1)
    expect(hosts.selectedId).toBe('h1')
    expect(fake.calls('containers.list')).toEqual([{ hostId: 'h1' }, { hostId: 'h2' }])
    expect(wrapper.get('main h1').text()).toBe('alpha')
    expect(wrapper.find('tr[data-container="h1-app"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('shows each host as a button named by the host, with its arch and state', async () => {
    const { wrapper } = await mountApp()
    const item = wrapper.get('button[data-host="beta"]')
    expect(item.attributes('data-state')).toBe('connected')
    expect(item.text().replace(/\s+/g, ' ')).toMatch(/^beta arm64 connected$/)

    const local = wrapper.get('button[data-host="laptop"]')
    expect(local.attributes('data-state')).toBe('disconnected')
    // no arch known: none shown
    expect(local.text().replace(/\s+/g, ' ')).toBe('laptop disconnected this computer')
    wrapper.unmount()
  })

  it('selects a host when its item is clicked', async () => {
    const { wrapper } = await mountApp()
    await wrapper.get('button[data-host="beta"]').trigger('click')
    expect(wrapper.get('main h1').text()).toBe('beta')
    expect(wrapper.get('button[data-host="beta"]').attributes('aria-current')).toBe('true')
    expect(wrapper.find('tr[data-container="h2-app"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('follows host.stateChanged in the sidebar', async () => {
    const { wrapper } = await mountApp()
    fake.emit('host.stateChanged', { ...laptop, state: 'installing' })
    await flushPromises()
    const item = wrapper.get('button[data-host="laptop"]')
    expect(item.attributes('data-state')).toBe('installing')
    expect(item.text()).toContain('installing agent')
    wrapper.unmount()
  })

  it('opens the add host form as a dialog and closes it with Escape', async () => {
    const { wrapper } = await mountApp()
    const add = wrapper.findAll('button').find((b) => b.text() === 'Add host')!
    await add.trigger('click')
    const dialog = wrapper.get('[role="dialog"]')
    expect(dialog.attributes('aria-modal')).toBe('true')
    expect(document.activeElement?.getAttribute('name')).toBe('name')
    await dialog.trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows a banner while the link to Berth is down and reloads when it returns', async () => {
    const { wrapper } = await mountApp()
    fake.setConnected(false)
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toContain('Connection to Berth lost')

    fake.setConnected(true)
    await flushPromises()
    expect(wrapper.text()).not.toContain('Connection to Berth lost')
    expect(fake.calls('hosts.list')).toHaveLength(2)
    expect(fake.calls('containers.list').length).toBeGreaterThanOrEqual(4)
    wrapper.unmount()
  })

  it('jumps to the nth host with Ctrl+1..9', async () => {
    const { wrapper, hosts } = await mountApp()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '3', ctrlKey: true }))
    expect(hosts.selectedId).toBe('h2')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '1', ctrlKey: true }))
    expect(hosts.selectedId).toBe('local')
    // no ninth host: nothing changes; without Ctrl the digit is just typing
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '9', ctrlKey: true }))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '2' }))
    expect(hosts.selectedId).toBe('local')
    wrapper.unmount()
  })

  it('finds a host with Ctrl+K, and shows every host\'s containers in All hosts', async () => {
    const { wrapper, hosts } = await mountApp()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }))
    await flushPromises()
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Go to host"]')!
    input.value = 'arm64'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    expect([...document.querySelectorAll('[role="option"]')].map((o) => o.querySelector('.name')?.textContent)).toEqual(['beta'])
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
    await flushPromises()
    expect(hosts.selectedId).toBe('h2')
    expect(document.querySelector('input[aria-label="Go to host"]')).toBeNull()

    await wrapper.get('button.all').trigger('click')
    await flushPromises()
    const rows = wrapper.findAll('tr[data-container]').map((r) => r.attributes('data-container'))
    expect(rows).toEqual(['alpha/h1-app', 'beta/h2-app'])
    await wrapper.get('tr[data-container="alpha/h1-app"] button').trigger('click')
    expect(hosts.selectedId).toBe('h1')
    expect(wrapper.find('tr[data-container="beta/h2-app"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('keeps each host\'s own tab when switching between hosts', async () => {
    const { wrapper, hosts } = await mountApp()
    const selectedTab = () => wrapper.get('[role="tab"][aria-selected="true"]').text()
    expect(selectedTab()).toBe('Containers')
    await wrapper.get('[role="tab"]:nth-child(3)').trigger('click')
    const chosen = selectedTab()
    expect(chosen).not.toBe('Containers')
    hosts.select('h2')
    await flushPromises()
    expect(selectedTab()).toBe('Containers')
    hosts.select('h1')
    await flushPromises()
    expect(selectedTab()).toBe(chosen)
    wrapper.unmount()
  })

  it('groups the sidebar by architecture on request', async () => {
    const { wrapper } = await mountApp()
    const box = wrapper.get<HTMLInputElement>('.group-by input[type="checkbox"]')
    await box.setValue(true)
    const groups = wrapper.findAll('nav section').map((g) => [g.get('h3').text(), g.findAll('[data-host]').map((h) => h.attributes('data-host'))])
    expect(groups).toEqual([
      ['amd64', ['alpha']],
      ['arm64', ['beta']],
      ['not yet known', ['laptop']],
    ])
    await box.setValue(false)
    expect(wrapper.findAll('nav section')).toHaveLength(0)
    wrapper.unmount()
  })
})
