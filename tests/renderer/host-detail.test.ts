// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import type { HostView } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import HostDetail from '../../renderer/src/features/hosts/HostDetail.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('containers.list', () => [])
})

afterEach(() => restore())

/** Mounts the detail pane for the host as the store holds it, so events and answers flow through. */
async function mountDetail(view: HostView) {
  fake.handle('hosts.list', () => [view])
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const hosts = useHostsStore(pinia)
  await hosts.load()
  const Pane = defineComponent(() => () => (hosts.selected ? h(HostDetail, { host: hosts.selected }) : null))
  const wrapper = mount(Pane, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, hosts }
}

const unknownKey = host({
  id: 'h1',
  name: 'alpha',
  address: '192.0.2.7',
  port: 2222,
  state: 'error',
  error: { code: 'HOST_KEY_UNKNOWN', message: 'the host key of 192.0.2.7:2222 is not known' },
  pendingHostKey: { keyType: 'ssh-ed25519', fingerprint: 'SHA256:3f9QeVn0bq1mK0nYw6oFJ7e0VwS9C0mXkA5Jp2rYt4U' },
})

describe('host key prompt', () => {
  it('shows the address, key type and fingerprint', async () => {
    const { wrapper } = await mountDetail(unknownKey)
    const dialog = wrapper.get('[role="alertdialog"]')
    expect(dialog.get('h2').text()).toBe('Unknown host key')
    expect(dialog.text().replace(/\s+/g, ' ')).toContain(
      "The authenticity of 192.0.2.7:2222 can't be established. ED25519 key fingerprint is SHA256:3f9QeVn0bq1mK0nYw6oFJ7e0VwS9C0mXkA5Jp2rYt4U.",
    )
    // the unknown key is a question, not an error to shout about
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('calls hosts.trustKey with the fingerprint it showed', async () => {
    fake.handle('hosts.trustKey', ({ hostId }) => host({ id: hostId, name: 'alpha', state: 'connected' }))
    const { wrapper } = await mountDetail(unknownKey)
    const trust = wrapper.findAll('button').find((b) => b.text() === 'Trust and connect')!
    await trust.trigger('click')
    await flushPromises()

    expect(fake.calls('hosts.trustKey')).toEqual([
      { hostId: 'h1', fingerprint: 'SHA256:3f9QeVn0bq1mK0nYw6oFJ7e0VwS9C0mXkA5Jp2rYt4U' },
    ])
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('closes on Cancel and tells the core to drop the attempt', async () => {
    fake.handle('hosts.disconnect', () => ({ ...unknownKey, state: 'disconnected', error: undefined, pendingHostKey: undefined }))
    const { wrapper } = await mountDetail(unknownKey)
    await wrapper.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false)
    expect(fake.calls('hosts.disconnect')).toEqual([{ hostId: 'h1' }])
    expect(fake.calls('hosts.trustKey')).toEqual([])
  })

  it('shows a failed trust inside the prompt', async () => {
    fake.handle('hosts.trustKey', () => {
      throw new ApiError('AUTH_FAILED', 'all authentication methods failed')
    })
    const { wrapper } = await mountDetail(unknownKey)
    await wrapper.findAll('button').find((b) => b.text() === 'Trust and connect')!.trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="alertdialog"] [role="alert"]').text()).toContain('all authentication methods failed')
    wrapper.unmount()
  })
})

describe('host errors', () => {
  it('explains a changed host key with both fingerprints and where the old one is recorded', async () => {
    const { wrapper } = await mountDetail(
      host({
        id: 'h1',
        name: 'alpha',
        state: 'error',
        error: {
          code: 'HOST_KEY_CHANGED',
          message: 'the host key of alpha changed: expected SHA256:old, got SHA256:new',
          detail: {
            expectedFingerprint: 'SHA256:old',
            actualFingerprint: 'SHA256:new',
            knownHostsFile: '/home/me/.ssh/known_hosts',
            line: 12,
          },
        },
      }),
    )
    const alert = wrapper.get('[role="alert"]')
    const text = alert.text()
    expect(text).toContain('HOST_KEY_CHANGED')
    expect(text).toContain('expected SHA256:old, got SHA256:new')
    expect(text).toMatch(/refused to connect because the host key differs from the one recorded/)
    expect(text).toContain('man-in-the-middle')
    expect(alert.get('[data-detail="expectedFingerprint"]').text()).toContain('SHA256:old')
    expect(alert.get('[data-detail="actualFingerprint"]').text()).toContain('SHA256:new')
    expect(alert.get('[data-detail="knownHostsFile"]').text()).toContain('/home/me/.ssh/known_hosts')
    expect(alert.get('[data-detail="line"]').text()).toContain('12')
    wrapper.unmount()
  })

  it('shows other errors with their code and message, and offers Connect', async () => {
    const { wrapper } = await mountDetail(
      host({ id: 'h1', name: 'alpha', state: 'error', error: { code: 'AUTH_FAILED', message: 'all authentication methods failed' } }),
    )
    expect(wrapper.get('[role="alert"]').text()).toContain('AUTH_FAILED')
    expect(wrapper.get('[role="alert"]').text()).toContain('all authentication methods failed')
    expect(wrapper.findAll('button').map((b) => b.text())).toContain('Connect')
    wrapper.unmount()
  })

  it('shows an error thrown by connect when the host view carries none', async () => {
    fake.handle('hosts.connect', () => {
      throw new ApiError('UNREACHABLE', 'connect ECONNREFUSED 192.0.2.7:22')
    })
    const { wrapper } = await mountDetail(host({ id: 'h1', name: 'alpha', state: 'disconnected' }))
    await wrapper.findAll('button').find((b) => b.text() === 'Connect')!.trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toContain('ECONNREFUSED')
    wrapper.unmount()
  })
})

describe('host header', () => {
  it('names the host, its target, arch, engine and state, with Disconnect when connected', async () => {
    fake.handle('hosts.disconnect', ({ hostId }) => host({ id: hostId, name: 'alpha', state: 'disconnected' }))
    const { wrapper } = await mountDetail(
      host({ id: 'h1', name: 'alpha', user: 'ops', address: '192.0.2.7', port: 2222, state: 'connected', arch: 'arm64', engineVersion: '27.3.1' }),
    )
    const header = wrapper.get('header')
    expect(header.get('h1').text()).toBe('alpha')
    expect(header.text()).toContain('ops@192.0.2.7:2222')
    expect(header.text()).toContain('arm64')
    expect(header.text()).toContain('27.3.1')
    expect(header.text()).toContain('connected')
    const buttons = header.findAll('button').map((b) => b.text())
    expect(buttons).toEqual(['Disconnect', 'Shell', 'Edit', 'Remove'])

    await header.get('button').trigger('click')
    await flushPromises()
    expect(fake.calls('hosts.disconnect')).toEqual([{ hostId: 'h1' }])
    expect(wrapper.get('header').findAll('button').map((b) => b.text())).toEqual(['Connect', 'Edit', 'Remove'])
    wrapper.unmount()
  })

  it('says "this computer" for the local host, which cannot be edited or removed', async () => {
    const { wrapper } = await mountDetail(host({ id: 'local', name: 'laptop', local: true, state: 'disconnected' }))
    expect(wrapper.get('header').text()).toContain('this computer')
    expect(wrapper.get('header').findAll('button').map((b) => b.text())).toEqual(['Connect'])
    wrapper.unmount()
  })

  it('edits a host with the form filled in, and removes one after confirmation', async () => {
    const alpha = host({ id: 'h1', name: 'alpha', state: 'disconnected', address: '10.0.0.1', port: 22, user: 'me' })
    fake.handle('hosts.update', ({ hostId, host: input }) => host({ ...alpha, ...input, id: hostId }))
    fake.handle('hosts.remove', () => ({}))
    const { wrapper, hosts } = await mountDetail(alpha)
    await wrapper.get('button[aria-label="Edit alpha"]').trigger('click')
    const name = document.querySelector<HTMLInputElement>('input[name="name"]')!
    expect(name.value).toBe('alpha')
    expect(document.querySelector<HTMLInputElement>('input[name="address"]')!.value).toBe('10.0.0.1')
    name.value = 'alpha-2'
    name.dispatchEvent(new Event('input'))
    document.querySelector<HTMLFormElement>('form.host-form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(fake.calls('hosts.update')).toEqual([{ hostId: 'h1', host: { name: 'alpha-2', address: '10.0.0.1', port: 22, user: 'me' } }])
    expect(hosts.byId.h1?.name).toBe('alpha-2')

    await wrapper.get('button[aria-label="Remove alpha-2"]').trigger('click')
    expect(fake.calls('hosts.remove')).toEqual([])
    const confirm = [...document.querySelectorAll<HTMLButtonElement>('[role="dialog"] button.danger')].find((b) => b.textContent === 'Remove')!
    confirm.click()
    await flushPromises()
    expect(fake.calls('hosts.remove')).toEqual([{ hostId: 'h1' }])
    expect(hosts.list).toEqual([])
    wrapper.unmount()
  })
})

describe('engine banner', () => {
  it('shows "Engine unavailable: <message>" until the engine returns', async () => {
    const { wrapper } = await mountDetail(host({ id: 'h1', name: 'alpha', state: 'connected' }))
    fake.emit('engine.stateChanged', { hostId: 'h1', available: false, message: 'connect ENOENT /var/run/docker.sock' })
    await flushPromises()
    expect(wrapper.text()).toContain('Engine unavailable: connect ENOENT /var/run/docker.sock')

    fake.emit('engine.stateChanged', { hostId: 'h1', available: true })
    await flushPromises()
    expect(wrapper.text()).not.toContain('Engine unavailable')
    wrapper.unmount()
  })
})
