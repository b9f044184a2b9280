// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiResult } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import PullDialog from '../../renderer/src/features/images/PullDialog.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { pullFraction } from '../../renderer/src/features/images/pull-progress'
import { createFakeApi, deferred, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void
let pullAnswer: ReturnType<typeof deferred<ApiResult<'images.pull'>>>

const digest = `10.77.0.1:5000/lab/busybox@sha256:${'ab'.repeat(32)}`
const imageId = `sha256:${'31'.repeat(32)}`

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  pullAnswer = deferred()
  fake.handle('hosts.list', () => [host({ id: 'h2', name: 'beta', state: 'connected', arch: 'arm64' })])
  fake.handle('images.pull', () => pullAnswer.promise)
  fake.handle('images.pullCancel', () => ({ cancelled: true }))
  fake.handle('images.list', () => [])
})

afterEach(() => restore())

async function mountDialog() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(PullDialog, { props: { hostId: 'h2' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const message = (wrapper: Awaited<ReturnType<typeof mountDialog>>) => wrapper.get('p.message').text()
const pullId = () => (fake.calls('images.pull')[0] as { pullId: string }).pullId

describe('PullDialog', () => {
  it('validates the reference as it is typed, naming the problem, and sends nothing while invalid', async () => {
    const wrapper = await mountDialog()
    const input = wrapper.get('input[name="reference"]')
    await input.setValue('UPPER/case')
    expect(message(wrapper)).toBe('repository names must be lowercase: "UPPER/case"')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()
    await input.setValue('a:b:c')
    expect(message(wrapper)).toMatch(/only one ":tag"/)
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('images.pull')).toEqual([])
  })

  it('says that latest is only a tag when no tag is given', async () => {
    const wrapper = await mountDialog()
    await wrapper.get('input[name="reference"]').setValue('ubuntu')
    expect(message(wrapper)).toMatch(/this pulls ubuntu:latest\. "latest" is just a tag name, not necessarily the newest version/)
    await wrapper.get('input[name="reference"]').setValue('ubuntu:24.04')
    expect(message(wrapper)).toBe('')
  })

  it('defaults the platform to the host\'s and sends a different one only when chosen', async () => {
    const wrapper = await mountDialog()
    const select = wrapper.get<HTMLSelectElement>('select[name="platform"]')
    expect(select.element.value).toBe('linux/arm64')
    expect(select.get('option:checked').text()).toBe('linux/arm64 (this host)')
    await wrapper.get('input[name="reference"]').setValue('10.77.0.1:5000/lab/busybox:1')
    await select.setValue('linux/amd64')
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('images.pull')).toEqual([
      { hostId: 'h2', pullId: expect.stringMatching(/^pull-/), reference: '10.77.0.1:5000/lab/busybox:1', platform: 'linux/amd64' },
    ])
  })

  it('shows progress per layer and in total, then the digest', async () => {
    const wrapper = await mountDialog()
    await wrapper.get('input[name="reference"]').setValue('10.77.0.1:5000/lab/busybox:1')
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('images.pull')[0]).not.toHaveProperty('platform')
    fake.emit('image.pullProgress', {
      hostId: 'h2',
      pullId: pullId(),
      done: false,
      status: 'Pulling from lab/busybox 1',
      layers: [
        { id: 'aaaaaaaaaaaa', status: 'Already exists' },
        { id: 'bbbbbbbbbbbb', status: 'Downloading', current: 500_000, total: 1_000_000 },
      ],
    })
    await flushPromises()
    const layer = (id: string) => wrapper.get(`li[data-layer="${id}"]`)
    expect(layer('aaaaaaaaaaaa').text()).toContain('Already exists (reused)')
    expect(layer('bbbbbbbbbbbb').text()).toContain('500kB / 1MB')
    expect(layer('bbbbbbbbbbbb').get('progress').attributes('value')).toBe('25')
    // one layer done, one a quarter done (half of the download half)
    expect(wrapper.get('progress[aria-label="Total progress"]').attributes('value')).toBe('63')
    expect(wrapper.get('button[type="button"]').text()).toBe('Cancel pull')

    pullAnswer.resolve({ id: imageId, digest, reference: '10.77.0.1:5000/lab/busybox:1' })
    await flushPromises()
    expect(wrapper.get('[data-result="digest"]').text()).toBe(digest)
    expect(wrapper.get('[data-result="id"]').text()).toBe(imageId)
    expect(wrapper.get('progress[aria-label="Total progress"]').attributes('value')).toBe('100')
    expect(fake.calls('images.list')).toEqual([{ hostId: 'h2' }])
  })

  it('cancels a running pull and shows how it ended', async () => {
    const wrapper = await mountDialog()
    await wrapper.get('input[name="reference"]').setValue('ubuntu:24.04')
    await wrapper.get('form').trigger('submit')
    await wrapper.get('button[type="button"]').trigger('click')
    expect(fake.calls('images.pullCancel')).toEqual([{ hostId: 'h2', pullId: pullId() }])
    pullAnswer.reject(new ApiError('CANCELLED', 'the pull of ubuntu:24.04 was cancelled'))
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('the pull of ubuntu:24.04 was cancelled')
    expect(wrapper.get('button[type="submit"]').text()).toBe('Pull')
  })

  it('shows a NOT_FOUND pull error in the engine\'s words', async () => {
    const wrapper = await mountDialog()
    await wrapper.get('input[name="reference"]').setValue('10.77.0.1:5000/lab/busybox:nope')
    await wrapper.get('form').trigger('submit')
    pullAnswer.reject(new ApiError('NOT_FOUND', '10.77.0.1:5000/lab/busybox:nope was not found in its registry: manifest unknown'))
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toMatch(/was not found in its registry/)
    expect(pullFraction({ layers: [], done: true, error: { code: 'NOT_FOUND', message: '' } })).toBe(0)
  })
})
