// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ManifestReport } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ManifestExplorer from '../../renderer/src/features/images/ManifestExplorer.vue'
import { createFakeApi, deferred, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const d = (c: string) => `sha256:${c.repeat(64)}`
const report: ManifestReport = {
  reference: '10.77.0.1:5000/reg/multi:1',
  registry: '10.77.0.1:5000',
  repository: 'reg/multi',
  digest: d('a'),
  mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
  isIndex: true,
  hostPlatform: 'linux/amd64',
  platforms: [
    { os: 'linux', architecture: 'amd64', platform: 'linux/amd64', digest: d('b'), mediaType: 'm', size: 524, layersSize: 1_500, layers: [{ digest: d('c'), size: 1_500, mediaType: 'l' }], thisHost: true },
    {
      os: 'linux', architecture: 'arm64', platform: 'linux/arm64', digest: d('e'), mediaType: 'm', size: 524, layersSize: 3_000_000,
      layers: [{ digest: d('f'), size: 1_000_000, mediaType: 'l' }, { digest: d('1'), size: 2_000_000, mediaType: 'l' }], thisHost: false,
    },
  ],
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('images.list', () => [])
})
afterEach(() => restore())

async function mountExplorer() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const wrapper = mount(ManifestExplorer, { props: { hostId: 'h2' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('ManifestExplorer', () => {
  it('validates the reference as it is typed and asks the registry nothing while it is invalid', async () => {
    const wrapper = await mountExplorer()
    await wrapper.get('input[name="reference"]').setValue('Reg/Multi:1')
    expect(wrapper.get('p.message').text()).toBe('repository names must be lowercase: "Reg/Multi"')
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    expect(fake.calls('registry.manifest')).toEqual([])
  })

  it('shows the index digest and one row per platform with its digest, size, layers and the host mark', async () => {
    const answer = deferred<ManifestReport>()
    fake.handle('registry.manifest', () => answer.promise)
    const wrapper = await mountExplorer()
    await wrapper.get('input[name="reference"]').setValue(report.reference)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[role="status"]').text()).toContain('Asking the registry about 10.77.0.1:5000/reg/multi:1')
    expect(fake.calls('registry.manifest')).toEqual([{ hostId: 'h2', reference: report.reference }])
    answer.resolve(report)
    await flushPromises()
    expect(wrapper.get('[data-index-digest]').text()).toBe(d('a'))
    expect(wrapper.text()).toContain('RepoDigests holds this one')
    const rows = wrapper.findAll('li.platform')
    expect(rows.map((r) => r.attributes('data-platform'))).toEqual(['linux/amd64', 'linux/arm64'])
    expect(rows.map((r) => r.get('[data-manifest-digest]').text())).toEqual([d('b'), d('e')])
    expect(rows[0]!.find('[data-this-host]').exists()).toBe(true)
    expect(rows[1]!.find('[data-this-host]').exists()).toBe(false)
    expect(rows[1]!.text()).toContain('3MB in 2 layers')
    expect(rows[1]!.findAll('[data-layer]').map((l) => l.text())).toEqual([`1MB ${d('f')}`, `2MB ${d('1')}`])
  })

  it('says why the lookup failed, in the registry words', async () => {
    fake.handle('registry.manifest', () => {
      throw new ApiError('NOT_FOUND', 'no manifest for reg/multi:nope in the registry at http://10.77.0.1:5000')
    })
    const wrapper = await mountExplorer()
    await wrapper.get('input[name="reference"]').setValue('10.77.0.1:5000/reg/multi:nope')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('no manifest for reg/multi:nope in the registry at http://10.77.0.1:5000')
  })

  it('pulls the platform a row names, with its progress shown', async () => {
    fake.handle('registry.manifest', () => report)
    const pulled = deferred<{ id: string; digest: string | null; reference: string }>()
    fake.handle('images.pull', () => pulled.promise)
    const wrapper = await mountExplorer()
    await wrapper.get('input[name="reference"]').setValue(report.reference)
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    await wrapper.get('li[data-platform="linux/arm64"] button').trigger('click')
    expect(fake.calls('images.pull')).toMatchObject([{ hostId: 'h2', reference: report.reference, platform: 'linux/arm64' }])
    expect(wrapper.get('.pull-progress').text()).toContain('Pulling 10.77.0.1:5000/reg/multi:1')
    expect(wrapper.get('li[data-platform="linux/amd64"] button').attributes('disabled')).toBeDefined()
    pulled.resolve({ id: d('9'), digest: `10.77.0.1:5000/reg/multi@${d('a')}`, reference: report.reference })
    await flushPromises()
    expect(wrapper.get('.pull-progress').text()).toContain('Pulled')
  })
})
