/**
 * A connected host's container table on the fake core, for tests of its rows and their menus:
 * registers the hooks (a fresh fake per test, everything unmounted after it) and mounts the
 * table with the host loaded. Call it at the top of a test file.
 */
import { createTestingPinia } from '@pinia/testing'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, vi } from 'vitest'
import type { ContainerSummary } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { createFakeApi, host, type FakeApi } from './fake-api'

export function containerTableSetup(containers: ContainerSummary[]): { fake: () => FakeApi; mountTable: typeof mountTable } {
  let fake: FakeApi | undefined
  let restore = () => {}

  beforeEach(() => {
    fake = createFakeApi()
    restore = provideApi(fake.api)
    fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
    fake.handle('containers.list', () => containers)
  })
  afterEach(() => {
    restore()
    document.body.innerHTML = ''
  })
  // after the cleanup above in order, so it runs first (hooks run in reverse): a table left mounted
  // keeps its row menus in the page, under the same ids as the next test's
  enableAutoUnmount(afterEach)

  return { fake: () => fake!, mountTable }
}

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}
