// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { NetworkSummary } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import NetworkPanel from '../../renderer/src/features/networks/NetworkPanel.vue'
import { createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

function network(name: string, extra: Partial<NetworkSummary> = {}): NetworkSummary {
  return {
    id: `${name}-id`,
    name,
    driver: 'bridge',
    scope: 'local',
    internal: false,
    subnets: [],
    containers: [],
    labels: {},
    created: '2026-01-01T00:00:00Z',
    builtIn: false,
    ...extra,
  }
}

const backend = network('backend', {
  subnets: [{ subnet: '172.30.0.0/24', gateway: '172.30.0.1', ipRange: '' }],
  containers: [{ containerId: 'c1', containerName: 'api', ipv4Address: '172.30.0.2', aliases: [] }],
})

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('networks.list', () => [backend, network('none', { driver: 'null', builtIn: true })])
})
afterEach(() => restore())

async function mountPanel() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const wrapper = mount(NetworkPanel, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('NetworkPanel', () => {
  it('lists networks with subnet, gateway and attached containers with their addresses', async () => {
    const wrapper = await mountPanel()
    const cells = wrapper.get('tr[data-network="backend"]').findAll('th, td').map((c) => c.text())
    expect(cells.slice(0, 7)).toEqual(['backend', 'bridge', 'local', '172.30.0.0/24', '172.30.0.1', 'no', 'api 172.30.0.2'])
    // the engine's own networks offer no Remove
    expect(wrapper.find('button[aria-label="Remove network none"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('asks before removing, and shows the refusal naming the containers', async () => {
    fake.handle('networks.remove', () => {
      throw new ApiError('CONFLICT', 'network backend is in use by container api: disconnect or remove it first', { containers: ['api'] })
    })
    const wrapper = await mountPanel()
    await wrapper.get('button[aria-label="Remove network backend"]').trigger('click')
    expect(fake.calls('networks.remove')).toEqual([])
    const dialog = wrapper.get('[role="dialog"]')
    expect(dialog.text()).toContain('Remove network backend?')
    await dialog.findAll('button').find((b) => b.text() === 'Remove')!.trigger('click')
    await flushPromises()
    expect(fake.calls('networks.remove')).toEqual([{ hostId: 'h1', id: 'backend-id' }])
    expect(wrapper.get('[role="dialog"] [role="alert"]').text()).toBe('network backend is in use by container api: disconnect or remove it first')
    wrapper.unmount()
  })

  it('closes the dialog and refetches once the network is gone', async () => {
    fake.handle('networks.remove', () => ({ id: 'backend-id' }))
    const wrapper = await mountPanel()
    fake.handle('networks.list', () => [network('none', { driver: 'null', builtIn: true })])
    await wrapper.get('button[aria-label="Remove network backend"]').trigger('click')
    await wrapper.get('[role="dialog"]').findAll('button').find((b) => b.text() === 'Remove')!.trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false)
    expect(wrapper.find('tr[data-network="backend"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
