// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImageRow } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import RunForm from '../../renderer/src/features/containers/RunForm.vue'
import { localImage, platformNote } from '../../renderer/src/features/images/platform-note'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, host } from './fake-api'

const row = (repository: string, tag: string, architecture: string): ImageRow => ({
  id: `sha256:${'b'.repeat(64)}`, shortId: 'b'.repeat(12), repository, tag, digest: null, repoDigests: [], size: 1_000_000, created: 1_700_000_000,
  architecture, os: 'linux', dangling: false, containers: { count: 0, names: [] },
})
let restore = () => {}
afterEach(() => {
  restore()
  document.body.innerHTML = ''
})

describe('the platform an image needs', () => {
  it('says nothing when image and host agree, warns of exec format error when they do not, and says emulated where qemu is registered', () => {
    expect(platformNote('amd64', { arch: 'amd64' }, 'app:1')).toBeNull()
    expect(platformNote('arm', { arch: 'armv7' }, 'app:1')).toBeNull()
    expect(platformNote('arm64', { arch: 'amd64' }, 'app:1')).toMatchObject({ level: 'warning', text: expect.stringContaining('exec format error') })
    expect(platformNote('arm64', { arch: 'amd64', emulated: ['arm64'] }, 'app:1')).toMatchObject({ level: 'info', text: expect.stringContaining('emulated') })
    expect(platformNote(undefined, { arch: 'amd64' }, 'app:1')).toBeNull()
  })

  it('finds the local image a reference names, latest included', () => {
    const rows = [row('busybox', 'latest', 'amd64'), row('10.77.0.1:5000/lab/busybox', '1', 'arm64')]
    expect(localImage('busybox', rows)?.architecture).toBe('amd64')
    expect(localImage('docker.io/library/busybox:latest', rows)?.architecture).toBe('amd64')
    expect(localImage('10.77.0.1:5000/lab/busybox:1', rows)?.architecture).toBe('arm64')
    expect(localImage('UPPER', rows)).toBeUndefined()
  })

  it('warns in the run form before an arm64 image is run on an amd64 host', async () => {
    const fake = createFakeApi()
    restore = provideApi(fake.api)
    setActivePinia(createPinia())
    fake.handle('hosts.list', async () => [host({ id: 'h1', name: 'build', arch: 'amd64', state: 'connected' })])
    fake.handle('images.list', async () => [row('app', '1', 'arm64')])
    await useHostsStore().load()
    const w = mount(RunForm, { props: { hostId: 'h1' }, attachTo: document.body })
    await flushPromises()
    const label = w.findAll('label').find((l) => l.text() === 'Image')!
    await w.get(`[id="${label.attributes('for')}"]`).setValue('app:1')
    expect(w.text()).toContain('exec format error')
    w.unmount()
  })
})
