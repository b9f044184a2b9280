// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import SshConfigImport from '../../renderer/src/features/hosts/SshConfigImport.vue'
import { provideApi } from '../../renderer/src/api/use-api'
import { createFakeApi } from './fake-api'

describe('importing from ~/.ssh/config', () => {
  it('offers the hosts not yet added, and imports the chosen ones', async () => {
    const fake = createFakeApi()
    const view = { id: 'p1', name: 'pi', local: false, address: '10.1.0.7', port: 22, user: 'pi', state: 'disconnected' as const }
    fake.handle('hosts.sshConfig', async () => [
      { name: 'bastion', address: '10.1.0.1', port: 22, user: 'ops', added: true },
      { name: 'pi', address: '10.1.0.7', port: 22, user: 'pi', proxyJump: 'bastion', added: false },
    ])
    fake.handle('hosts.importSshConfig', async () => [view])
    const restore = provideApi(fake.api)
    setActivePinia(createPinia())
    const wrapper = mount(SshConfigImport)
    await flushPromises()
    const boxes = wrapper.findAll<HTMLInputElement>('input[type="checkbox"]')
    expect(boxes.map((b) => [b.element.value, b.element.checked, b.element.disabled])).toEqual([
      ['bastion', false, true],
      ['pi', true, false],
    ])
    expect(wrapper.text()).toContain('pi@10.1.0.7 via bastion')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('hosts.importSshConfig')).toEqual([{ names: ['pi'] }])
    expect(wrapper.emitted('done')).toHaveLength(1)
    wrapper.unmount()
    restore()
  })
})
