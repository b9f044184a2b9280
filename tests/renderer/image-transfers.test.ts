// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import type { HostView, ImageRow } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ImageFileDialog from '../../renderer/src/features/images/ImageFileDialog.vue'
import ImageSendDialog from '../../renderer/src/features/images/ImageSendDialog.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi } from './fake-api'

const row = { id: 'sha256:' + 'a'.repeat(64), shortId: 'aaaaaaaaaaaa', repository: 'app', tag: '1', os: 'linux', architecture: 'arm64' } as ImageRow
const hostView = (id: string, arch: string): HostView => ({ id, name: id, local: false, address: id, port: 22, user: 'u', state: 'connected', arch })
let restore = () => {}
afterEach(() => restore())

function setup() {
  const fake = createFakeApi()
  restore = provideApi(fake.api)
  setActivePinia(createPinia())
  return fake
}

describe('moving images in the window', () => {
  it('refuses a relative path before sending anything, then saves to the file given', async () => {
    const fake = setup()
    fake.handle('images.saveToFile', async () => ({ path: '/tmp/app-1.tar', bytes: 1234 }))
    const wrapper = mount(ImageSendDialog, { props: { hostId: 'h1', row, mode: 'save' }, attachTo: document.body })
    expect(wrapper.get<HTMLInputElement>('input[name="path"]').element.value).toBe('~/app-1.tar')
    await wrapper.get('input[name="path"]').setValue('app.tar')
    expect(wrapper.text()).toContain('full path')
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('images.saveToFile')).toHaveLength(0)
    await wrapper.get('input[name="path"]').setValue('/tmp/app-1.tar')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('images.saveToFile')).toEqual([{ hostId: 'h1', transferId: expect.any(String), images: ['app:1'], path: '/tmp/app-1.tar' }])
    expect(wrapper.text()).toContain('Saved to /tmp/app-1.tar')
    wrapper.unmount()
  })

  it('shows the platform warning a copy meets, and copies anyway only when asked', async () => {
    const fake = setup()
    fake.handle('hosts.list', async () => [hostView('h1', 'arm64'), hostView('h2', 'amd64')])
    await useHostsStore().load()
    fake.handle('images.copy', async (params) => {
      if (!(params as { anyPlatform?: boolean }).anyPlatform) {
        throw new ApiError('CONFLICT', 'app:1 is built for arm64, and h2 runs amd64: its programs would fail there with "exec format error"')
      }
      return { loaded: ['app:1'], bytes: 10 }
    })
    fake.handle('images.list', async () => [])
    const wrapper = mount(ImageSendDialog, { props: { hostId: 'h1', row, mode: 'copy' }, attachTo: document.body })
    expect(wrapper.get<HTMLSelectElement>('select').element.value).toBe('h2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('.warning').text()).toContain('exec format error')
    await wrapper.get('.warning button').trigger('click')
    await flushPromises()
    expect(fake.calls('images.copy').at(-1)).toMatchObject({ fromHostId: 'h1', toHostId: 'h2', image: 'app:1', anyPlatform: true })
    expect(wrapper.text()).toContain('Loaded on h2: app:1')
    wrapper.unmount()
  })

  it('checks an import\'s Dockerfile changes before sending', async () => {
    const fake = setup()
    const wrapper = mount(ImageFileDialog, { props: { hostId: 'h1', mode: 'import' }, attachTo: document.body })
    await wrapper.get('input[name="path"]').setValue('/tmp/rootfs.tar')
    await wrapper.get('textarea').setValue('RUN make')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[role="alert"]').text()).toMatch(/RUN/)
    expect(fake.calls('images.importFromFile')).toHaveLength(0)
    wrapper.unmount()
  })
})
