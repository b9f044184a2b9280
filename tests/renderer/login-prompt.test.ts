// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import LoginPrompt from '../../renderer/src/features/hosts/LoginPrompt.vue'
import { createFakeApi } from './fake-api'

const prompt: NonNullable<HostView['pendingPrompt']> = {
  target: 'pi@10.0.0.7:22',
  name: 'PAM',
  instructions: 'Open your authenticator app.',
  prompts: [
    { prompt: 'Verification code: ', echo: false },
    { prompt: 'Favourite colour: ', echo: true },
  ],
}
const host: HostView = { id: 'h', name: 'pi', local: false, address: '10.0.0.7', port: 22, user: 'pi', state: 'connecting', pendingPrompt: prompt }

function setup(answerPrompt: () => Promise<HostView>) {
  const fake = createFakeApi()
  fake.handle('hosts.answerPrompt', answerPrompt)
  fake.handle('hosts.disconnect', async () => ({ ...host, state: 'disconnected', pendingPrompt: undefined }))
  const restore = provideApi(fake.api)
  setActivePinia(createPinia())
  const wrapper = mount(LoginPrompt, { props: { host, prompt }, attachTo: document.body })
  return { fake, wrapper, done: () => (wrapper.unmount(), restore()) }
}

describe("the server's sign-in question", () => {
  it('shows who asks and what, hides a code as it is typed, and sends the answers in order', async () => {
    const { fake, wrapper, done } = setup(async () => ({ ...host, pendingPrompt: undefined }))
    expect(wrapper.text()).toContain('pi@10.0.0.7:22')
    expect(wrapper.text()).toContain('Open your authenticator app.')
    const labels = wrapper.findAll('label').map((l) => l.text())
    expect(labels).toEqual(['Verification code', 'Favourite colour'])
    const [code, colour] = wrapper.findAll<HTMLInputElement>('input')
    expect(code!.attributes('type')).toBe('password')
    expect(colour!.attributes('type')).toBe('text')
    // the first field has the focus, ready for the code
    expect(document.activeElement).toBe(code!.element)
    const submit = wrapper.get('button[type="submit"]')
    await code!.setValue('123456')
    expect(submit.attributes('disabled')).toBeDefined()
    await colour!.setValue('blue')
    expect(submit.attributes('disabled')).toBeUndefined()
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('hosts.answerPrompt')).toEqual([{ hostId: 'h', answers: ['123456', 'blue'] }])
    // a one-time code is of no use twice: the fields are emptied
    expect(code!.element.value).toBe('')
    done()
  })

  it('says why an answer was not taken, and Cancel gives up the login', async () => {
    const { fake, wrapper, done } = setup(async () => {
      throw new ApiError('CONFLICT', 'pi is not asking anything now: connect again')
    })
    const [code, colour] = wrapper.findAll<HTMLInputElement>('input')
    await code!.setValue('1')
    await colour!.setValue('2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('pi is not asking anything now: connect again')
    await wrapper.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click')
    await flushPromises()
    expect(fake.calls('hosts.disconnect')).toEqual([{ hostId: 'h' }])
    done()
  })
})
