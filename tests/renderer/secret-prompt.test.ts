// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import SecretPrompt from '../../renderer/src/features/hosts/SecretPrompt.vue'
import { createFakeApi } from './fake-api'

const host: HostView = {
  id: 'h', name: 'pi', local: false, address: '10.0.0.7', port: 22, user: 'pi', state: 'error',
  pendingPassphrase: { keyFile: '/home/me/.ssh/id_locked' },
}

describe('the passphrase prompt', () => {
  it('sends the passphrase for the key asked about, shows a refusal, and never keeps the text', async () => {
    const fake = createFakeApi()
    let answer: 'wrong' | 'right' = 'wrong'
    fake.handle('hosts.unlockKey', async () => {
      if (answer === 'wrong') throw new ApiError('AUTH_FAILED', 'that passphrase does not open /home/me/.ssh/id_locked')
      return { ...host, state: 'connected', pendingPassphrase: undefined }
    })
    const restore = provideApi(fake.api)
    setActivePinia(createPinia())
    const wrapper = mount(SecretPrompt, { props: { host, kind: 'passphrase', keyFile: '/home/me/.ssh/id_locked' } })
    expect(wrapper.text()).toContain('/home/me/.ssh/id_locked')
    const input = wrapper.get<HTMLInputElement>('input[type="password"]')
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()

    await input.setValue('nope')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('hosts.unlockKey')).toEqual([{ hostId: 'h', keyFile: '/home/me/.ssh/id_locked', passphrase: 'nope' }])
    expect(wrapper.get('[role="alert"]').text()).toContain('does not open')
    expect(input.element.value).toBe('')

    answer = 'right'
    await input.setValue('s3cret')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('hosts.unlockKey')).toHaveLength(2)
    expect(input.element.value).toBe('')
    wrapper.unmount()
    restore()
  })

  it('offers to remember a passphrase only where the keychain can encrypt it', async () => {
    for (const saveSecrets of [false, true]) {
      const fake = createFakeApi()
      fake.handle('app.capabilities', async () => ({ saveSecrets }))
      fake.handle('hosts.unlockKey', async () => ({ ...host, state: 'connected', pendingPassphrase: undefined }))
      const restore = provideApi(fake.api)
      setActivePinia(createPinia())
      const wrapper = mount(SecretPrompt, { props: { host, kind: 'passphrase', keyFile: '/home/me/.ssh/id_locked' } })
      await flushPromises()
      const box = wrapper.find<HTMLInputElement>('input[type="checkbox"]')
      expect(box.exists()).toBe(saveSecrets)
      if (saveSecrets) {
        expect(wrapper.text()).toContain('keychain')
        await box.setValue(true)
        expect(wrapper.text()).not.toContain('it is not saved')
      }
      await wrapper.get('input[type="password"]').setValue('s3cret')
      await wrapper.get('form').trigger('submit')
      await flushPromises()
      expect(fake.calls('hosts.unlockKey')).toEqual([
        { hostId: 'h', keyFile: '/home/me/.ssh/id_locked', passphrase: 's3cret', ...(saveSecrets ? { save: true } : {}) },
      ])
      wrapper.unmount()
      restore()
    }
  })

  it('asks for the password a host wants, and says when the host refused it', async () => {
    const fake = createFakeApi()
    fake.handle('hosts.givePassword', async () => ({ ...host, state: 'connected' }))
    const restore = provideApi(fake.api)
    setActivePinia(createPinia())
    const wrapper = mount(SecretPrompt, { props: { host, kind: 'password', target: 'pi@10.0.0.7:22', refused: true } })
    expect(wrapper.get('[role="alert"]').text()).toContain('pi@10.0.0.7:22 refused that password')
    await wrapper.get('input[type="password"]').setValue('hunter2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('hosts.givePassword')).toEqual([{ hostId: 'h', password: 'hunter2' }])
    expect(wrapper.get<HTMLInputElement>('input[type="password"]').element.value).toBe('')
    wrapper.unmount()
    restore()
  })
})
