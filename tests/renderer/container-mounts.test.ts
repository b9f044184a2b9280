// @vitest-environment jsdom
/** A container's mounts in its details: where each one's files are, and a way into a volume's. */
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContainerDetails, ContainerMount } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerDetailsPanel from '../../renderer/src/features/containers/ContainerDetails.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const app = container({ name: 'app', state: 'running' })
const mounts: ContainerMount[] = [
  { type: 'volume', name: 'app-data', source: '/var/lib/docker/volumes/app-data/_data', destination: '/data', readOnly: false },
  { type: 'bind', source: '/srv/app/config', destination: '/etc/app', readOnly: true },
  { type: 'tmpfs', source: '', destination: '/run/cache', readOnly: false },
]

function details(): ContainerDetails {
  return {
    id: app.id, name: 'app', image: 'lab/busybox:1', imageId: 'sha256:0123456789abcdef0123', command: ['sleep', '1000'], entrypoint: [],
    created: '2026-11-27T10:00:00Z',
    state: { status: 'running', exitCode: 0, error: '', oomKilled: false, pid: 42, startedAt: '2026-11-27T10:00:01Z', finishedAt: null },
    restartPolicy: { name: 'no', maximumRetryCount: 0 }, restartCount: 0, health: null,
    mounts, networks: [], ports: [], env: [], labels: {}, raw: { Id: app.id },
  }
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [app])
  fake.handle('containers.inspect', () => details())
  fake.handle('volumeFiles.list', ({ volume }) => ({ volume, path: '', entries: [{ name: 'notes.txt', kind: 'file', sizeBytes: 5, modified: '2026-11-27T10:00:00Z', mode: '-rw-r--r--', linkTarget: '' }], cutShort: null }))
  fake.handle('volumeFiles.close', () => ({ closed: true }))
})
afterEach(() => restore())

async function openDetails() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const w = mount(ContainerDetailsPanel, { props: { hostId: 'h1', containerId: app.id, name: 'app' }, global: { plugins: [pinia] } })
  await flushPromises()
  return w
}

const field = (w: Awaited<ReturnType<typeof openDetails>>, destination: string, name: string) =>
  w.find(`[data-mount="${destination}"] [data-field="${name}"]`)

describe('mounts in the container details', () => {
  it('shows each mount: type, where its files are on the host, destination and rw/ro', async () => {
    const w = await openDetails()
    expect(field(w, '/data', 'type').text()).toBe('volume')
    expect(field(w, '/data', 'volume').text()).toBe('app-data')
    expect(field(w, '/data', 'host-path').text()).toBe('/var/lib/docker/volumes/app-data/_data')
    expect(field(w, '/data', 'destination').text()).toBe('/data')
    expect(field(w, '/data', 'mode').text()).toBe('rw')
    expect(field(w, '/etc/app', 'type').text()).toBe('bind')
    expect(field(w, '/etc/app', 'host-path').text()).toBe('/srv/app/config')
    expect(field(w, '/etc/app', 'mode').text()).toBe('ro')
    expect(field(w, '/etc/app', 'mode').attributes('title')).toBe('read-only')
    expect(field(w, '/run/cache', 'host-path').exists()).toBe(false)
    expect(w.get('[data-mount="/run/cache"]').text()).toContain('(in memory)')
  })

  it('offers Browse for a volume only, and opens that volume\'s files below the summary', async () => {
    const w = await openDetails()
    expect(w.findAll('[data-mount] button').map((b) => b.attributes('aria-label'))).toEqual(['Browse the volume app-data'])
    expect(w.find('section.browser').exists()).toBe(false)
    await w.get('button[aria-label="Browse the volume app-data"]').trigger('click')
    await flushPromises()
    expect(fake.calls('volumeFiles.list')).toEqual([{ hostId: 'h1', volume: 'app-data', path: '' }])
    expect(w.get('section.browser').attributes('aria-label')).toBe('Files in volume app-data')
    expect(w.get('section.browser').text()).toContain('notes.txt')
  })
})
