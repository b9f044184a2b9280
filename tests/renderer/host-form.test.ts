// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import HostForm from '../../renderer/src/features/hosts/HostForm.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
})

afterEach(() => restore())

function mountForm(stubActions: boolean) {
  const pinia = createTestingPinia({ stubActions, createSpy: vi.fn })
  const hosts = useHostsStore(pinia)
  // A stubbed action still answers as the real one does: an Outcome the form reads.
  if (stubActions) vi.mocked(hosts.add).mockResolvedValue({ ok: true, value: host({ id: 'n1', name: 'pi' }) })
  const wrapper = mount(HostForm, { global: { plugins: [pinia] }, attachTo: document.body })
  return { wrapper, hosts }
}

/** Fills a field found by its label, as a person would. */
async function fill(wrapper: VueWrapper, label: string, value: string) {
  const labelEl = wrapper.findAll('label').find((l) => l.text() === label)
  expect(labelEl, `a label "${label}"`).toBeDefined()
  await wrapper.get(`[id="${labelEl!.attributes('for')!}"]`).setValue(value)
}

function errorFor(wrapper: VueWrapper, field: string) {
  return wrapper.find(`[data-error-for="${field}"]`)
}

describe('HostForm', () => {
  it('labels every input and starts with port 22', () => {
    const { wrapper } = mountForm(true)
    const labels = wrapper.findAll('label').map((l) => l.text())
    expect(labels).toEqual(['Name', 'Address', 'Port', 'User', 'Identity file', 'Jump host'])
    for (const label of wrapper.findAll('label')) {
      expect(wrapper.find(`[id="${label.attributes('for')!}"]`).exists()).toBe(true)
    }
    expect(wrapper.get<HTMLInputElement>('input[name="port"]').element.value).toBe('22')
    wrapper.unmount()
  })

  it('refuses port 99999 and an empty name with clear messages, and calls nothing', async () => {
    const { wrapper, hosts } = mountForm(true)
    await fill(wrapper, 'Address', 'web-1.example.com')
    await fill(wrapper, 'User', 'deploy')
    await fill(wrapper, 'Port', '99999')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(errorFor(wrapper, 'name').text()).toBe('a host needs a name')
    expect(errorFor(wrapper, 'port').text()).toBe('a port is 1 to 65535')
    expect(errorFor(wrapper, 'address').exists()).toBe(false)
    expect(wrapper.get('input[name="port"]').attributes('aria-invalid')).toBe('true')
    // the message is tied to its input for screen readers
    const describedBy = wrapper.get('input[name="port"]').attributes('aria-describedby')!
    expect(wrapper.get(`[id="${describedBy}"]`).text()).toBe('a port is 1 to 65535')
    expect(hosts.add).not.toHaveBeenCalled()
    expect(fake.invoke).not.toHaveBeenCalled()
    expect(wrapper.emitted('done')).toBeUndefined()
    wrapper.unmount()
  })

  it('clears a message as soon as the field is fixed', async () => {
    const { wrapper } = mountForm(true)
    await wrapper.get('form').trigger('submit')
    expect(errorFor(wrapper, 'name').exists()).toBe(true)
    await fill(wrapper, 'Name', 'web-1')
    expect(errorFor(wrapper, 'name').exists()).toBe(false)
    wrapper.unmount()
  })

  it('sends the validated input to hosts.add and closes', async () => {
    const { wrapper, hosts } = mountForm(true)
    vi.mocked(hosts.add).mockResolvedValue({ ok: true, value: host({ id: 'h1', name: 'web-1' }) })
    await fill(wrapper, 'Name', '  web-1 ')
    await fill(wrapper, 'Address', 'web-1.example.com')
    await fill(wrapper, 'Port', '2222')
    await fill(wrapper, 'User', 'deploy')
    await fill(wrapper, 'Identity file', '~/.ssh/id_ed25519')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(hosts.add).toHaveBeenCalledWith({
      name: 'web-1',
      address: 'web-1.example.com',
      port: 2222,
      user: 'deploy',
      identityFile: '~/.ssh/id_ed25519',
    })
    expect(wrapper.emitted('done')).toHaveLength(1)
    wrapper.unmount()
  })

  it('offers IdentitiesOnly once an identity file is named, and sends it when ticked', async () => {
    const { wrapper, hosts } = mountForm(true)
    await fill(wrapper, 'Name', 'pi')
    await fill(wrapper, 'Address', 'pi.lan')
    await fill(wrapper, 'User', 'pi')
    expect(wrapper.find('input[name="identitiesOnly"]').exists()).toBe(false)
    await fill(wrapper, 'Identity file', '/home/me/.ssh/id_pi')
    await wrapper.get('input[name="identitiesOnly"]').setValue(true)
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(hosts.add).toHaveBeenCalledWith({ name: 'pi', address: 'pi.lan', port: 22, user: 'pi', identityFile: '/home/me/.ssh/id_pi', identitiesOnly: true })
    wrapper.unmount()
  })

  it('adds, connects and selects the new host', async () => {
    const added = host({ id: 'n1', name: 'web-1' })
    fake.handle('hosts.add', () => added)
    fake.handle('hosts.connect', () => ({ ...added, state: 'connecting' }))
    const { wrapper, hosts } = mountForm(false)
    await fill(wrapper, 'Name', 'web-1')
    await fill(wrapper, 'Address', '192.0.2.10')
    await fill(wrapper, 'User', 'deploy')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(fake.invoke.mock.calls.map(([method]) => method)).toEqual(['hosts.add', 'hosts.connect'])
    expect(fake.calls('hosts.add')).toEqual([{ name: 'web-1', address: '192.0.2.10', port: 22, user: 'deploy' }])
    expect(fake.calls('hosts.connect')).toEqual([{ hostId: 'n1' }])
    expect(hosts.selectedId).toBe('n1')
    wrapper.unmount()
  })

  it('shows the server\'s error in the form and stays open', async () => {
    fake.handle('hosts.add', () => {
      throw new ApiError('CONFLICT', 'a host named web-1 already exists')
    })
    const { wrapper } = mountForm(false)
    await fill(wrapper, 'Name', 'web-1')
    await fill(wrapper, 'Address', '192.0.2.10')
    await fill(wrapper, 'User', 'deploy')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(wrapper.get('[role="alert"]').text()).toBe('a host named web-1 already exists')
    expect(wrapper.emitted('done')).toBeUndefined()
    expect(fake.calls('hosts.connect')).toEqual([])
    wrapper.unmount()
  })
})
