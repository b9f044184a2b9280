// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ImageRow } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ImageDetails from '../../renderer/src/features/images/ImageDetails.vue'
import ImagePanel from '../../renderer/src/features/images/ImagePanel.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, deferred, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const row: ImageRow = {
  id: `sha256:${'3'.repeat(64)}`,
  shortId: '333333333333',
  repository: 'lab/busybox',
  tag: '1',
  digest: null,
  repoDigests: [],
  size: 1_980_000,
  created: 1_700_000_000,
  os: 'linux',
  architecture: 'amd64',
  dangling: false,
  containers: { count: 0, names: [] },
}
const untagged: ImageRow = { ...row, id: `sha256:${'4'.repeat(64)}`, shortId: '444444444444', repository: '<none>', tag: '<none>', dangling: true }

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected', arch: 'amd64' })])
  fake.handle('images.list', () => [row])
  // the details drawer stays at "Inspecting…": only the actions matter here
  fake.handle('images.inspect', () => new Promise(() => {}))
})
afterEach(() => {
  restore()
  document.body.innerHTML = ''
})

async function piniaWithHosts() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  return pinia
}

async function mountDetails(image: ImageRow): Promise<VueWrapper> {
  const options = { props: { hostId: 'h1', row: image }, global: { plugins: [await piniaWithHosts()] }, attachTo: document.body }
  const wrapper = mount(ImageDetails, options)
  await flushPromises()
  return wrapper as VueWrapper
}

async function mountPanel(): Promise<VueWrapper> {
  const wrapper = mount(ImagePanel, { props: { hostId: 'h1' }, global: { plugins: [await piniaWithHosts()] }, attachTo: document.body })
  await flushPromises()
  return wrapper as VueWrapper
}

const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text() === text)!

describe('Tag…', () => {
  it('validates repository:tag as typed, refuses a digest, and sends nothing while invalid', async () => {
    const wrapper = await mountDetails(row)
    await button(wrapper, 'Tag…').trigger('click')
    const input = wrapper.get('input[name="target"]')
    await input.setValue('Team/App:1')
    expect(wrapper.get('[role="alert"]').text()).toBe('repository names must be lowercase: "Team/App"')
    await input.setValue(`team/app@sha256:${'a'.repeat(64)}`)
    expect(wrapper.get('[role="alert"]').text()).toBe('a tag reference cannot contain a digest (@sha256:…)')
    expect(button(wrapper, 'Tag').attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('images.tag')).toEqual([])
  })

  it('tags the image by its ID, refreshes the list and closes', async () => {
    const answer = deferred<{ id: string; target: string }>()
    fake.handle('images.tag', () => answer.promise)
    const wrapper = await mountDetails(row)
    await button(wrapper, 'Tag…').trigger('click')
    await wrapper.get('input[name="target"]').setValue('10.77.0.1:5000/team/app:1.2')
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('images.tag')).toEqual([{ hostId: 'h1', image: row.id, target: '10.77.0.1:5000/team/app:1.2' }])
    expect(button(wrapper, 'Tagging…').attributes('disabled')).toBeDefined()
    answer.resolve({ id: row.id, target: '10.77.0.1:5000/team/app:1.2' })
    await flushPromises()
    expect(fake.calls('images.list')).toHaveLength(1)
    expect(wrapper.find('input[name="target"]').exists()).toBe(false)
  })

  it('shows the engine refusal and stays open', async () => {
    fake.handle('images.tag', () => {
      throw new ApiError('NOT_FOUND', 'no such image: 333333333333')
    })
    const wrapper = await mountDetails(row)
    await button(wrapper, 'Tag…').trigger('click')
    await wrapper.get('input[name="target"]').setValue('team/app:1')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('no such image: 333333333333')
  })
})

describe('Untag', () => {
  it('removes this row repository:tag only, then refreshes', async () => {
    fake.handle('images.untag', () => ({ untagged: ['lab/busybox:1'], deleted: [] }))
    const wrapper = await mountDetails(row)
    await button(wrapper, 'Untag lab/busybox:1').trigger('click')
    await flushPromises()
    expect(fake.calls('images.untag')).toEqual([{ hostId: 'h1', reference: 'lab/busybox:1' }])
    expect(fake.calls('images.list')).toHaveLength(1)
    expect(wrapper.emitted('close')).toHaveLength(1)
  })

  it('offers no Untag for an untagged image', async () => {
    const wrapper = await mountDetails(untagged)
    expect(wrapper.findAll('button').some((b) => b.text().startsWith('Untag'))).toBe(false)
  })
})

describe('Prune dangling…', () => {
  it('lists exactly what would go before the user confirms, then prunes', async () => {
    const victims = [{ id: untagged.id, size: 15_000 }, { id: `sha256:${'5'.repeat(64)}`, size: 2_000_000 }]
    fake.handle('images.pruneDangling', () => ({ images: victims, spaceReclaimed: 2_015_000 }))
    const wrapper = await mountPanel()
    await button(wrapper, 'Prune dangling…').trigger('click')
    await flushPromises()
    expect(fake.calls('images.pruneDangling')).toEqual([{ hostId: 'h1', preview: true }])
    expect(wrapper.get('[data-prune-summary]').text()).toBe('These 2 images will be removed, freeing 2.015MB:')
    expect(wrapper.findAll('[data-prune-image]').map((li) => li.text())).toEqual([`${victims[0]!.id} 15kB`, `${victims[1]!.id} 2MB`])
    await button(wrapper, 'Remove 2 images').trigger('click')
    await flushPromises()
    expect(fake.calls('images.pruneDangling')).toEqual([{ hostId: 'h1', preview: true }, { hostId: 'h1', preview: false }])
    expect(wrapper.find('[data-prune-summary]').exists()).toBe(false)
    expect(fake.calls('images.list')).toHaveLength(2)
  })

  it('says there is nothing to prune and offers no removal', async () => {
    fake.handle('images.pruneDangling', () => ({ images: [], spaceReclaimed: 0 }))
    const wrapper = await mountPanel()
    await button(wrapper, 'Prune dangling…').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-prune-empty]').text()).toBe('No dangling images: nothing to prune.')
    expect(button(wrapper, 'Remove 0 images').attributes('disabled')).toBeDefined()
  })
})
