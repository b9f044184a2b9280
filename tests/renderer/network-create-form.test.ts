// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import NetworkCreateForm from '../../renderer/src/features/networks/NetworkCreateForm.vue'
import VolumeCreateForm from '../../renderer/src/features/volumes/VolumeCreateForm.vue'
import { createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('networks.list', () => [])
  fake.handle('networks.create', (p) => ({ id: 'abc', name: p.name }))
  fake.handle('volumes.list', () => [])
})
afterEach(() => restore())

function mountForm(component: typeof NetworkCreateForm | typeof VolumeCreateForm) {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  return mount(component, { props: { hostId: 'h1' }, global: { plugins: [pinia] } })
}

async function fill(wrapper: ReturnType<typeof mountForm>, label: string, value: string) {
  const id = wrapper.findAll('label').find((l) => l.text() === label)!.attributes('for')
  await wrapper.get(`[id="${id}"]`).setValue(value)
}

const errorFor = (wrapper: ReturnType<typeof mountForm>, field: string) => wrapper.find(`[data-error-for="${field}"]`)

describe('NetworkCreateForm', () => {
  it('names each bad field and sends nothing', async () => {
    const wrapper = mountForm(NetworkCreateForm)
    await fill(wrapper, 'Network name', 'back end')
    await fill(wrapper, 'Subnet', '10.1.2.3/24')
    await fill(wrapper, 'IP range', '10.9.0.0/25')
    await fill(wrapper, 'Labels', 'team')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(errorFor(wrapper, 'name').text()).toBe('a network id or name has only letters, digits, _ . and -')
    expect(errorFor(wrapper, 'subnet').text()).toBe('10.1.2.3/24 has host bits set: the subnet is 10.1.2.0/24')
    expect(errorFor(wrapper, 'labels').text()).toBe('line 1: write each label as key=value')
    expect(fake.calls('networks.create')).toEqual([])
  })

  it('checks the gateway and IP range against the subnet', async () => {
    const wrapper = mountForm(NetworkCreateForm)
    await fill(wrapper, 'Network name', 'backend')
    await fill(wrapper, 'Subnet', '10.1.2.0/24')
    await fill(wrapper, 'Gateway', '10.1.3.1')
    await fill(wrapper, 'IP range', '10.1.0.0/16')
    await wrapper.get('form').trigger('submit')
    expect(errorFor(wrapper, 'gateway').text()).toBe('the gateway 10.1.3.1 is outside the subnet 10.1.2.0/24')
    expect(errorFor(wrapper, 'ipRange').text()).toBe('the IP range 10.1.0.0/16 is not inside the subnet 10.1.2.0/24')
    expect(fake.calls('networks.create')).toEqual([])
  })

  it('sends a valid network and reports done; shows the engine refusal otherwise', async () => {
    const wrapper = mountForm(NetworkCreateForm)
    await fill(wrapper, 'Network name', 'backend')
    await fill(wrapper, 'Subnet', '10.1.2.0/24')
    await fill(wrapper, 'Gateway', '10.1.2.1')
    await fill(wrapper, 'Labels', 'team=storage\n\nenv = prod')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('networks.create')).toEqual([
      { hostId: 'h1', name: 'backend', driver: 'bridge', subnet: '10.1.2.0/24', gateway: '10.1.2.1', internal: false, labels: { team: 'storage', env: 'prod' } },
    ])
    expect(wrapper.emitted('done')).toHaveLength(1)
    fake.handle('networks.create', () => {
      throw new ApiError('UNSUPPORTED', "this host's engine cannot create a macvlan network: operation not supported")
    })
    await wrapper.get('select').setValue('macvlan')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toContain('cannot create a macvlan network')
  })
})

describe('VolumeCreateForm', () => {
  it('refuses a bad name and malformed driver options before sending', async () => {
    const wrapper = mountForm(VolumeCreateForm)
    await fill(wrapper, 'Volume name', '-data')
    await fill(wrapper, 'Driver options', 'type=tmpfs\nsize')
    await wrapper.get('form').trigger('submit')
    expect(errorFor(wrapper, 'name').text()).toContain('a volume name starts with a letter or digit')
    expect(errorFor(wrapper, 'driverOptions').text()).toBe('line 2: write each driver option as key=value')
    expect(fake.calls('volumes.create')).toEqual([])
  })
})
