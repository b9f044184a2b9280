// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import RunForm from '../../renderer/src/features/containers/RunForm.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  // the form reads the host and its images (for the platform warning)
  setActivePinia(createPinia())
  fake.handle('containers.run', ({ name }) => ({ id: 'f'.repeat(64), name: name ?? 'random_name' }))
  fake.handle('containers.create', ({ name }) => ({ id: 'e'.repeat(64), name: name ?? 'random_name' }))
})
afterEach(() => {
  restore()
  document.body.innerHTML = ''
})

function mountForm() {
  return mount(RunForm, { props: { hostId: 'h1' }, attachTo: document.body })
}
type Wrapper = ReturnType<typeof mountForm>

async function fill(w: Wrapper, label: string, value: string): Promise<void> {
  const labelEl = w.findAll('label').find((l) => l.text() === label)
  if (!labelEl) throw new Error(`no field ${label}`)
  await w.get(`[id="${labelEl.attributes('for')}"]`).setValue(value)
}
const preview = (w: Wrapper) => w.get('code[aria-label="Equivalent docker command"]').text()
const alerts = (w: Wrapper) => w.findAll('[role="alert"]').map((a) => a.text())
const submit = async (w: Wrapper) => {
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('the run form', () => {
  it('previews the docker run line as you type, quoted for sh, and runs with one call', async () => {
    const w = mountForm()
    await fill(w, 'Image', 'lab/busybox:1')
    await fill(w, 'Container name', 'web-1')
    await fill(w, 'Command', `sh -c 'echo "hi"; sleep 99'`)
    await fill(w, 'Environment', 'GREETING=hello world\nMODE=prod')
    await fill(w, 'Published ports', '8080:80')
    await fill(w, 'Volumes and bind mounts', 'data:/data:ro')
    await fill(w, 'Labels', 'tier=web')
    await w.get('select').setValue('on-failure')
    await fill(w, 'Maximum retries', '2')
    await w.findAll('input[type="checkbox"]')[0]!.setValue(true)
    await w.findAll('input[type="checkbox"]')[0]!.setValue(false)
    expect(preview(w)).toBe(
      `docker run -d --name web-1 -e 'GREETING=hello world' -e MODE=prod -p 8080:80 -v data:/data:ro ` +
        `--restart on-failure:2 -l tier=web lab/busybox:1 sh -c 'echo "hi"; sleep 99'`,
    )
    await submit(w)
    expect(fake.calls('containers.run')).toEqual([
      {
        hostId: 'h1',
        image: 'lab/busybox:1',
        name: 'web-1',
        command: ['sh', '-c', 'echo "hi"; sleep 99'],
        env: ['GREETING=hello world', 'MODE=prod'],
        ports: ['8080:80'],
        volumes: ['data:/data:ro'],
        restart: 'on-failure:2',
        labels: ['tier=web'],
      },
    ])
    expect(w.emitted('done')).toEqual([[{ id: 'f'.repeat(64), name: 'web-1' }]])
    expect(w.emitted('close')).toHaveLength(1)
  })

  it('creates only when asked, with docker create in the preview', async () => {
    const w = mountForm()
    await fill(w, 'Image', 'nginx')
    await w.get('input[type="radio"][value="create"]').setValue(true)
    expect(preview(w)).toBe('docker create nginx')
    expect(w.text()).toContain('"latest", which is just a tag, not necessarily the newest version')
    await submit(w)
    expect(fake.calls('containers.create')).toEqual([{ hostId: 'h1', image: 'nginx' }])
    expect(fake.calls('containers.run')).toEqual([])
  })

  it('offers attached only when running: a created container has no process to attach to', async () => {
    const w = mountForm()
    const attached = () => w.findAll('label').find((l) => l.text() === 'Attached')!.get('input').element
    expect(attached().disabled).toBe(false)
    await w.get('input[type="radio"][value="create"]').setValue(true)
    expect(attached().disabled).toBe(true)
    expect(w.text()).toContain('Only a container that runs can be attached to.')
  })

  it.each([
    ['Published ports', '99999:80', 'host port 99999 in "99999:80" is out of range (1-65535)'],
    ['Published ports', 'abc', 'container port "abc" in "abc" is not a number'],
    ['Environment', 'A=1\nNOEQUALS', 'environment line 2 "NOEQUALS" has no "=": write KEY=value'],
    ['Container name', 'my web', 'a container name starts with a letter or digit and has only letters, digits, _ . and -'],
  ])('refuses %s %j with a clear message and no api call', async (label, value, message) => {
    const w = mountForm()
    await fill(w, 'Image', 'lab/busybox:1')
    await fill(w, label, value)
    expect(alerts(w)).toEqual([message])
    await submit(w)
    expect(alerts(w)).toEqual([message])
    // nothing is sent to create or run (reading the host's images for the platform note is not sending)
    expect([...fake.calls('containers.run'), ...fake.calls('containers.create')]).toEqual([])
    expect(w.emitted('close')).toBeUndefined()
  })

  it('names every missing field on submit, and shows the engine refusal when it comes', async () => {
    const w = mountForm()
    await submit(w)
    expect(alerts(w)).toEqual(['an image reference is required (e.g. ubuntu:24.04)'])
    expect([...fake.calls('containers.run'), ...fake.calls('containers.create')]).toEqual([])
    fake.handle('containers.run', () => {
      throw new ApiError('NOT_FOUND', 'image lab/missing:1 is not on this host: pull it first (docker pull lab/missing:1)')
    })
    await fill(w, 'Image', 'lab/missing:1')
    await submit(w)
    expect(alerts(w)).toEqual(['image lab/missing:1 is not on this host: pull it first (docker pull lab/missing:1)'])
    expect(w.emitted('close')).toBeUndefined()
  })
})

describe('Run container… in the containers toolbar', () => {
  it('opens the run form for the host whose containers are shown', async () => {
    fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
    fake.handle('containers.list', () => [container({ name: 'web' })])
    const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
    const hosts = useHostsStore(pinia)
    await hosts.load()
    hosts.select('h1')
    const w = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    await w.findAll('button').find((b) => b.text() === 'Run container…')!.trigger('click')
    expect(w.find('[role="dialog"]').text()).toContain('Run container')
  })
})
