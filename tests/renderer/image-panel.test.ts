// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ImageDetails, ImageRow } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ImagePanel from '../../renderer/src/features/images/ImagePanel.vue'
import { createdAgo, groupImages } from '../../renderer/src/features/images/image-list'
import { humanSize } from '../../renderer/src/ui/units'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const NOW_S = Math.floor(Date.now() / 1000)

function image(repository: string, tag: string, overrides: Partial<ImageRow> = {}): ImageRow {
  const id = `sha256:${(repository + tag).split('').map((c) => c.charCodeAt(0).toString(16)).join('').padEnd(64, '0').slice(0, 64)}`
  return {
    id,
    shortId: id.slice(7, 19),
    repository,
    tag,
    digest: repository === '<none>' ? null : `${repository}@sha256:${'d'.repeat(64)}`,
    repoDigests: [],
    size: 1_980_000,
    created: NOW_S - 3_600,
    os: 'linux',
    architecture: 'amd64',
    dangling: repository === '<none>',
    containers: { count: 0, names: [] },
    ...overrides,
  }
}

const busybox = image('lab/busybox', '1', { containers: { count: 2, names: ['web', 'worker'] }, size: 1_980_000 })
const pushed = image('10.77.0.1:5000/lab/busybox', '1', { size: 1_980_000 })
const ubuntuOld = image('ubuntu', '22.04', { size: 77_800_000, created: NOW_S - 90 * 86_400 })
const ubuntuNew = image('ubuntu', '24.04', { size: 78_100_000, created: NOW_S - 86_400 })
const dangling = image('<none>', '<none>', { size: 5_000 })

const details: ImageDetails = {
  id: busybox.id,
  repoTags: ['lab/busybox:1'],
  repoDigests: [],
  created: '2026-11-27T20:00:00.000Z',
  size: 1_980_000,
  os: 'linux',
  architecture: 'amd64',
  author: '',
  config: {
    cmd: ['sh'],
    entrypoint: null,
    env: ['PATH=/bin'],
    exposedPorts: ['8080/tcp'],
    workingDir: '/srv',
    user: 'nobody',
    labels: { 'org.example': 'yes' },
  },
  history: [{ created: '2026-11-27T20:00:00.000Z', createdBy: 'ADD busybox /bin', size: 1_980_000, comment: '' }],
  layers: [`sha256:${'f'.repeat(64)}`],
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected', arch: 'amd64' })])
  fake.handle('images.list', () => [ubuntuNew, busybox, dangling, pushed, ubuntuOld])
  fake.handle('images.inspect', () => details)
})

afterEach(() => restore())

async function mountPanel() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ImagePanel, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const rowTexts = (wrapper: Awaited<ReturnType<typeof mountPanel>>) =>
  wrapper.findAll('tbody tr.group, tbody tr.image').map((tr) => tr.attributes('data-group') ?? tr.attributes('data-image'))

describe('ImagePanel', () => {
  it('groups rows by repository with tag, short ID, digest, human size, created, platform and use count', async () => {
    const wrapper = await mountPanel()
    expect(fake.calls('images.list')).toEqual([{ hostId: 'h1' }])
    expect(rowTexts(wrapper)).toEqual([
      '10.77.0.1:5000/lab/busybox', '10.77.0.1:5000/lab/busybox:1',
      'lab/busybox', 'lab/busybox:1',
      'ubuntu', 'ubuntu:22.04', 'ubuntu:24.04',
      '<none>', '<none>:<none>',
    ])
    const cells = wrapper.get('tr[data-image="lab/busybox:1"]').findAll('td')
    expect(cells.map((c) => c.text())).toEqual([
      'lab/busybox', '1', busybox.shortId, `sha256:${'d'.repeat(19)}`, '1.98MB', '1 hour ago', 'linux/amd64', '2',
    ])
    expect(cells[2]!.get('button').attributes('title')).toBe(busybox.id)
    expect(cells[7]!.attributes('title')).toBe('web, worker')
    expect(wrapper.get('[data-count]').text()).toBe('5 of 5 images')
  })

  it('searches and sorts', async () => {
    const wrapper = await mountPanel()
    await wrapper.get('input[type="search"]').setValue('24.04')
    expect(rowTexts(wrapper)).toEqual(['ubuntu', 'ubuntu:24.04'])
    expect(wrapper.get('[data-count]').text()).toBe('1 of 5 images')
    await wrapper.get('input[type="search"]').setValue('')
    await wrapper.get('select[aria-label="Sort images"]').setValue('size')
    expect(wrapper.findAll('tbody tr.image').map((tr) => tr.attributes('data-image'))).toEqual([
      'ubuntu:24.04', 'ubuntu:22.04', '10.77.0.1:5000/lab/busybox:1', 'lab/busybox:1', '<none>:<none>',
    ])
  })

  it('opens a details drawer with config, history and layers', async () => {
    const wrapper = await mountPanel()
    await wrapper.get('tr[data-image="lab/busybox:1"]').trigger('click')
    await flushPromises()
    expect(fake.calls('images.inspect')).toEqual([{ hostId: 'h1', image: busybox.id }])
    const drawer = wrapper.get('aside[aria-label="Image details"]')
    expect(drawer.get('[data-detail="id"]').text()).toBe(busybox.id)
    expect(drawer.text()).toContain('["sh"]')
    expect(drawer.text()).toContain('8080/tcp')
    expect(drawer.text()).toContain('org.example=yes')
    expect(drawer.text()).toContain('ADD busybox /bin')
    expect(drawer.text()).toContain(`sha256:${'f'.repeat(64)}`)
  })

  it('shows why a remove was refused, naming the containers', async () => {
    fake.handle('images.remove', () => {
      throw new ApiError('CONFLICT', 'image lab/busybox:1 is used by 2 containers: web, worker; remove the containers first')
    })
    const wrapper = await mountPanel()
    await wrapper.get('tr[data-image="lab/busybox:1"]').trigger('click')
    await flushPromises()
    await wrapper.get('aside button.danger').trigger('click')
    await flushPromises()
    expect(wrapper.get('aside [role="alert"]').text()).toMatch(/used by 2 containers: web, worker/)
  })

  it('keeps only a window of rows in the DOM for 2,000 images', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => image(`repo${String(i).padStart(4, '0')}`, 'v1'))
    fake.handle('images.list', () => many)
    const wrapper = await mountPanel()
    await flushPromises()
    const rendered = wrapper.findAll('tbody tr.image, tbody tr.group').length
    expect(rendered).toBeGreaterThan(10)
    expect(rendered).toBeLessThan(100)
    expect(wrapper.get('table').attributes('aria-rowcount')).toBe('4000')
    // the spacer below stands for the rows not rendered
    const spacer = wrapper.findAll('tbody tr[aria-hidden="true"] td').at(-1)!
    expect(parseInt(spacer.attributes('style')!.replace(/.*height:\s*/, ''), 10)).toBeGreaterThan(100_000)
  })
})

describe('image list helpers', () => {
  it('prints sizes as docker does and says how long ago', () => {
    expect([humanSize(999, 3), humanSize(1_980_000, 3), humanSize(77_812_345, 3), humanSize(1_234_567_890, 3)]).toEqual([
      '999B', '1.98MB', '77.8MB', '1.23GB',
    ])
    expect(createdAgo(NOW_S - 2 * 86_400, NOW_S * 1000)).toBe('2 days ago')
    expect(createdAgo(NOW_S - 10, NOW_S * 1000)).toBe('just now')
  })

  it('searches by ID and digest too', () => {
    expect(groupImages([busybox, ubuntuNew], busybox.shortId, 'repository').map((i) => i.key)).toEqual([
      'g:lab/busybox', `i:lab/busybox:1:${busybox.id}`,
    ])
    expect(groupImages([busybox, pushed], '10.77.0.1', 'repository')).toHaveLength(2)
  })
})
