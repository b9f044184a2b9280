// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContainerDetails } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const web = container({ name: 'web', state: 'running' })

function details(overrides: Partial<ContainerDetails> = {}): ContainerDetails {
  return {
    id: web.id,
    name: 'web',
    image: 'nginx:1.27',
    imageId: 'sha256:0123456789abcdef0123',
    command: ['nginx', '-g', 'daemon off;'],
    entrypoint: ['/docker-entrypoint.sh'],
    created: '2026-11-27T10:00:00Z',
    state: { status: 'running', exitCode: 0, error: '', oomKilled: false, pid: 42, startedAt: '2026-11-27T10:00:01Z', finishedAt: null },
    restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
    restartCount: 2,
    health: { status: 'unhealthy', failingStreak: 4, log: [{ start: null, end: '2026-11-27T10:05:00Z', exitCode: 1, output: 'curl: connection refused\n' }] },
    mounts: [{ type: 'volume', name: 'web-data', source: '/var/lib/docker/volumes/web-data/_data', destination: '/data', readOnly: true }],
    networks: [{ name: 'backend', ipAddress: '172.18.0.5', ipv6Address: '', gateway: '172.18.0.1', macAddress: '02:42:ac:12:00:05' }],
    ports: ['0.0.0.0:8080->80/tcp'],
    env: ['GREETING=hello'],
    labels: { tier: 'frontend' },
    raw: { Id: web.id, Name: '/web', HostConfig: { Privileged: false } },
    ...overrides,
  }
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [web])
  fake.handle('containers.inspect', () => details())
})
afterEach(() => restore())

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] } })
  await flushPromises()
  return wrapper
}

async function openDetails() {
  const w = await mountTable()
  await w.get('tr[data-container="web"] th button').trigger('click')
  await flushPromises()
  return w
}

describe('the container details panel', () => {
  it('opens from the container name with the readable summary of docker inspect', async () => {
    const w = await openDetails()
    expect(fake.calls('containers.inspect')).toEqual([{ hostId: 'h1', id: web.id }])
    const panel = w.get('section.details')
    expect(panel.get('h3').text()).toBe('Details of web')
    const text = panel.text()
    for (const part of [
      'nginx:1.27', '/docker-entrypoint.sh', "nginx -g 'daemon off;'", 'on-failure (at most 3 retries), restarted 2 times',
      'unhealthy, 4 checks failed in a row', 'curl: connection refused',
      'backend: 172.18.0.5', '0.0.0.0:8080->80/tcp', 'GREETING=hello', 'tier=frontend',
    ]) {
      expect(text).toContain(part)
    }
    expect(panel.get('[data-field="state"]').text()).toBe('running')
    expect(w.get('tr[data-container="web"] th button').attributes('aria-expanded')).toBe('true')
  })

  it('keeps the raw JSON in a collapsed section', async () => {
    const w = await openDetails()
    const raw = w.get('details.raw')
    expect(raw.attributes('open')).toBeUndefined()
    expect(raw.get('summary').text()).toBe('Raw JSON (docker inspect web)')
    expect(JSON.parse(raw.get('pre').text())).toEqual({ Id: web.id, Name: '/web', HostConfig: { Privileged: false } })
  })

  it('inspects again when an event says the container changed, and shows the exit code', async () => {
    const w = await openDetails()
    fake.handle('containers.inspect', () =>
      details({ state: { ...details().state, status: 'exited', exitCode: 137, finishedAt: '2026-11-27T11:00:00Z' } }),
    )
    fake.emit('container.stateChanged', { hostId: 'h1', id: web.id, action: 'die', container: { ...web, state: 'exited', exitCode: 137 } })
    await flushPromises()
    expect(fake.calls('containers.inspect')).toHaveLength(2)
    expect(w.get('[data-field="state"]').text()).toBe('exited (exit code 137)')
  })

  it('closes when the container is removed, and stops following it', async () => {
    const w = await openDetails()
    fake.emit('container.stateChanged', { hostId: 'h1', id: web.id, action: 'destroy', container: null })
    await flushPromises()
    // the row is gone, and with it the panel
    expect(w.find('section.details').exists()).toBe(false)
    fake.emit('container.stateChanged', { hostId: 'h1', id: web.id, action: 'create', container: web })
    await flushPromises()
    expect(fake.calls('containers.inspect')).toHaveLength(1)
  })

  it('shows why an inspect failed', async () => {
    fake.handle('containers.inspect', () => {
      throw new ApiError('NOT_FOUND', 'No such container: web')
    })
    const w = await openDetails()
    expect(w.get('section.details [role="alert"]').text()).toBe('Could not inspect web: No such container: web')
  })

  it('closes with its Close button and on a second click on the name', async () => {
    const w = await openDetails()
    await w.get('button[aria-label="Close the details of web"]').trigger('click')
    expect(w.find('section.details').exists()).toBe(false)
    await w.get('tr[data-container="web"] th button').trigger('click')
    await flushPromises()
    expect(w.find('section.details').exists()).toBe(true)
    await w.get('tr[data-container="web"] th button').trigger('click')
    expect(w.find('section.details').exists()).toBe(false)
  })
})
