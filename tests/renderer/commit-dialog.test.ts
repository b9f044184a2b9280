// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { createPinia, setActivePinia } from 'pinia'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { provideApi } from '../../renderer/src/api/use-api'
import CommitDialog from '../../renderer/src/features/containers/CommitDialog.vue'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'
import { menuItem, openRowMenu } from './row-menu'


let fake: FakeApi
let restore: () => void
const web = container({ name: 'web' })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  // the dialog commits through the containers store
  setActivePinia(createPinia())
  fake.handle('containers.commit', ({ repository, tag }) => ({ imageId: `sha256:${'a1'.repeat(32)}`, reference: `${repository}:${tag ?? 'latest'}` }))
})
afterEach(() => {
  restore()
  document.body.innerHTML = ''
})
// after the cleanup above in order, so it runs first (hooks run in reverse): a table left mounted
// keeps its row menus in the page, under the same ids as the next test's
enableAutoUnmount(afterEach)

const mountDialog = () => mount(CommitDialog, { props: { hostId: 'h1', container: web }, attachTo: document.body })
type Wrapper = ReturnType<typeof mountDialog>

async function fill(w: Wrapper, label: string, value: string): Promise<void> {
  const labelEl = w.findAll('label').find((l) => l.text() === label)!
  await w.get(`[id="${labelEl.attributes('for')}"]`).setValue(value)
}
const alerts = (w: Wrapper) => w.findAll('[role="alert"]').map((a) => a.text())

describe('the commit dialog', () => {
  it('commits with repository, tag, message, author and changes, previewing docker commit', async () => {
    const w = mountDialog()
    await fill(w, 'Repository', 'me/web')
    await fill(w, 'Tag', 'v2')
    await fill(w, 'Message', 'added the config')
    await fill(w, 'Author', 'Jane <jane@example.com>')
    await fill(w, 'Changes', 'CMD ["nginx", "-g", "daemon off;"]\nEXPOSE 80')
    expect(w.get('code').text()).toBe(
      `docker commit -a 'Jane <jane@example.com>' -m 'added the config' -c 'CMD ["nginx", "-g", "daemon off;"]' -c 'EXPOSE 80' web me/web:v2`,
    )
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('containers.commit')).toEqual([
      {
        hostId: 'h1',
        id: web.id,
        repository: 'me/web',
        tag: 'v2',
        message: 'added the config',
        author: 'Jane <jane@example.com>',
        changes: ['CMD ["nginx", "-g", "daemon off;"]', 'EXPOSE 80'],
      },
    ])
    expect(w.get('[role="status"]').text()).toBe('Committed web as me/web:v2 (a1a1a1a1a1a1)')
  })

  it('refuses a bad change line and a missing repository, naming them, with no api call', async () => {
    const w = mountDialog()
    await fill(w, 'Changes', 'ENV A=b\nRUN apt-get update')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(alerts(w)).toEqual([
      'a repository name is required (e.g. myapp/web)',
      expect.stringMatching(/^change 2 "RUN apt-get update": RUN is not one of CMD, ENTRYPOINT, ENV/),
    ])
    expect(fake.invoke).not.toHaveBeenCalled()
  })

  it('opens from a container row\'s menu as "Commit <name>"', async () => {
    fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
    fake.handle('containers.list', () => [web])
    const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
    await useHostsStore(pinia).load()
    const w = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    await openRowMenu(w, 'web')
    expect(menuItem('Commit web').title).toBe('docker commit web')
    menuItem('Commit web').click()
    await flushPromises()
    expect(w.get('[role="dialog"]').text()).toContain('Commit web')
  })
})
