// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { NetworkSummary } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import NetworkPanel from '../../renderer/src/features/networks/NetworkPanel.vue'
import { container, createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const backend: NetworkSummary = {
  id: 'backend-id', name: 'backend', driver: 'bridge', scope: 'local', internal: false,
  subnets: [{ subnet: '172.30.0.0/24', gateway: '172.30.0.1', ipRange: '' }],
  containers: [{ containerId: 'c1', containerName: 'api', ipv4Address: '172.30.0.2', aliases: [] }],
  labels: {}, created: '', builtIn: false,
}
const none: NetworkSummary = {
  ...backend, id: 'none-id', name: 'none', driver: 'null', subnets: [], builtIn: true,
  containers: [{ containerId: 'c9', containerName: 'job', ipv4Address: '', aliases: [] }],
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('networks.list', () => [backend, none])
  fake.handle('containers.list', () => [container({ id: 'c1', name: 'api' }), container({ name: 'web' }), container({ name: 'job', state: 'exited' })])
})
afterEach(() => restore())

async function mountPanel() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const wrapper = mount(NetworkPanel, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

async function openConnect(wrapper: Awaited<ReturnType<typeof mountPanel>>) {
  await wrapper.get('button[aria-label="Connect a container to backend"]').trigger('click')
  await flushPromises()
  return wrapper.get('[role="dialog"]')
}

describe('connecting and disconnecting containers', () => {
  it('offers only containers not yet on the network, and none for the none network', async () => {
    const wrapper = await mountPanel()
    expect(wrapper.find('button[aria-label="Connect a container to none"]').exists()).toBe(false)
    expect(wrapper.find('tr[data-network="none"] button[aria-label^="Disconnect"]').exists()).toBe(false)
    const dialog = await openConnect(wrapper)
    const options = dialog.findAll('option').filter((o) => o.attributes('value'))
    expect(options.map((o) => o.attributes('value'))).toEqual(['job', 'web'])
    wrapper.unmount()
  })

  it('names a bad address or alias and sends nothing', async () => {
    fake.handle('networks.connect', (p) => ({ network: p.network, container: p.container }))
    const wrapper = await mountPanel()
    const dialog = await openConnect(wrapper)
    await dialog.get('button[type="submit"]').trigger('click')
    expect(dialog.get('[data-error-for="container"]').text()).toBe('pick a container to connect')
    await dialog.get('select').setValue('web')
    const [ip, aliases] = dialog.findAll('input')
    await ip!.setValue('172.30.0.300')
    await aliases!.setValue('-bad')
    await dialog.get('button[type="submit"]').trigger('click')
    expect(dialog.find('[data-error-for="ipv4Address"]').exists()).toBe(true)
    expect(dialog.get('[data-error-for="aliases"]').text()).toContain('letters, digits')
    expect(fake.calls('networks.connect')).toEqual([])
    wrapper.unmount()
  })

  it('connects with a fixed address and aliases, and shows an engine refusal in place', async () => {
    fake.handle('networks.connect', () => {
      throw new ApiError('CONFLICT', 'Address already in use')
    })
    const wrapper = await mountPanel()
    const dialog = await openConnect(wrapper)
    await dialog.get('select').setValue('web')
    const [ip, aliases] = dialog.findAll('input')
    await ip!.setValue('172.30.0.9')
    await aliases!.setValue('db, primary-db')
    await dialog.get('button[type="submit"]').trigger('click')
    await flushPromises()
    expect(fake.calls('networks.connect')).toEqual([
      { hostId: 'h1', network: 'backend', container: 'web', ipv4Address: '172.30.0.9', aliases: ['db', 'primary-db'] },
    ])
    expect(wrapper.get('[role="dialog"] [role="alert"]').text()).toBe('Address already in use')
    wrapper.unmount()
  })

  it('disconnects an attached container and lists the networks again', async () => {
    fake.handle('networks.disconnect', (p) => ({ network: p.network, container: p.container }))
    const wrapper = await mountPanel()
    await wrapper.get('button[aria-label="Disconnect api from backend"]').trigger('click')
    await flushPromises()
    expect(fake.calls('networks.disconnect')).toEqual([{ hostId: 'h1', network: 'backend', container: 'api' }])
    expect(fake.calls('networks.list')).toHaveLength(2)
    wrapper.unmount()
  })
})
