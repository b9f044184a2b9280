// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/components/ContainerTable.vue'
import { useHostsStore } from '../../renderer/src/stores/hosts'
import { container, createFakeApi, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const web = container({ name: 'web', state: 'running' })
const db = container({ name: 'db', state: 'exited', exitCode: 0 })
const cache = container({ name: 'cache', state: 'paused' })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [web, db, cache])
  for (const m of ['containers.pause', 'containers.unpause', 'containers.kill', 'containers.restart', 'containers.remove'] as const) {
    fake.handle(m, ({ id }) => ({ id }))
  }
  fake.handle('containers.rename', ({ id, name }) => ({ id, name }))
})

afterEach(() => {
  restore()
  document.body.innerHTML = ''
})

async function mountTable() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const wrapper = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountTable>>
const button = (w: Wrapper, label: string) => w.get<HTMLButtonElement>(`button[aria-label="${label}"]`)
const row = (w: Wrapper, name: string) => w.get(`tr[data-container="${name}"]`)

describe('container actions in the table', () => {
  it('offers every action per row, each titled with the docker command it equals', async () => {
    const w = await mountTable()
    const labels = row(w, 'web').findAll('.buttons button').map((b) => [b.attributes('aria-label'), b.attributes('title')])
    expect(labels).toEqual([
      ['Start web', 'docker start web'],
      ['Stop web', 'docker stop web'],
      ['Restart container web', 'docker restart web'],
      ['Pause web', 'docker pause web'],
      ['Kill web', 'docker kill web'],
      ['Rename web', 'docker rename web <new name>'],
      ['Remove web', 'docker rm web'],
    ])
    // a paused container offers Unpause in Pause's place; an exited one cannot be paused or killed
    expect(button(w, 'Unpause cache').element.disabled).toBe(false)
    expect(w.find('button[aria-label="Pause cache"]').exists()).toBe(false)
    expect(button(w, 'Pause db').element.disabled).toBe(true)
    expect(button(w, 'Kill db').element.disabled).toBe(true)
    expect(button(w, 'Restart container db').element.disabled).toBe(false)
  })

  it('pauses, unpauses, restarts and kills (SIGKILL, as docker kill does) with one call each', async () => {
    const w = await mountTable()
    await button(w, 'Pause web').trigger('click')
    await button(w, 'Unpause cache').trigger('click')
    await button(w, 'Restart container db').trigger('click')
    await flushPromises()
    await button(w, 'Kill web').trigger('click')
    await flushPromises()
    expect(fake.calls('containers.pause')).toEqual([{ hostId: 'h1', id: web.id }])
    expect(fake.calls('containers.unpause')).toEqual([{ hostId: 'h1', id: cache.id }])
    expect(fake.calls('containers.restart')).toEqual([{ hostId: 'h1', id: db.id }])
    expect(fake.calls('containers.kill')).toEqual([{ hostId: 'h1', id: web.id }])
  })

  it('kills with the signal chosen, and says so in the docker command it shows', async () => {
    const w = await mountTable()
    await row(w, 'web').get('select[aria-label="Signal to kill web with"]').setValue('TERM')
    expect(button(w, 'Kill web').attributes('title')).toBe('docker kill -s TERM web')
    await button(w, 'Kill web').trigger('click')
    await flushPromises()
    expect(fake.calls('containers.kill')).toEqual([{ hostId: 'h1', id: web.id, signal: 'TERM' }])
  })

  it('acts on several containers at once, each only where its state allows', async () => {
    fake.handle('containers.stop', ({ id }) => ({ id }))
    fake.handle('containers.start', ({ id }) => ({ id }))
    const w = await mountTable()
    expect(w.find('[role="toolbar"]').exists()).toBe(false)
    for (const name of ['web', 'db', 'cache']) await w.get(`input[aria-label="Select ${name}"]`).setValue(true)
    const bar = w.get('[role="toolbar"]')
    expect(bar.attributes('aria-label')).toBe('3 containers selected')
    const bulk = (label: string) => bar.findAll('button').find((b) => b.text().startsWith(label))!
    // stop: the running and the paused one; start: the exited one
    expect(bulk('Stop').text()).toBe('Stop (2)')
    expect(bulk('Stop').attributes('title')).toBe('docker stop cache web')
    await bulk('Stop').trigger('click')
    await bulk('Start').trigger('click')
    await flushPromises()
    expect(fake.calls('containers.stop').map((p) => (p as { id: string }).id).sort()).toEqual([web.id, cache.id].sort())
    expect(fake.calls('containers.start')).toEqual([{ hostId: 'h1', id: db.id }])
  })

  it('removes several only after confirming, the running ones only with force', async () => {
    const w = await mountTable()
    for (const name of ['web', 'db']) await w.get(`input[aria-label="Select ${name}"]`).setValue(true)
    const removeButton = w.get('[role="toolbar"]').findAll('button').find((b) => b.text().startsWith('Remove'))!
    await removeButton.trigger('click')
    const dialog = w.get('[role="dialog"]')
    expect(dialog.text()).toContain('docker rm db')
    await dialog.get('input[type="checkbox"]').setValue(true)
    expect(dialog.text()).toContain('docker rm -f db web')
    await dialog.findAll('button').find((b) => b.text() === 'Remove 2')!.trigger('click')
    await flushPromises()
    expect(fake.calls('containers.remove').map((p) => (p as { id: string; force: boolean }).force)).toEqual([true, true])
    expect(w.find('[role="toolbar"]').exists()).toBe(false)
  })

  it('shows why the engine refused, in that row only', async () => {
    fake.handle('containers.pause', () => {
      throw new ApiError('CONFLICT', 'container web is not running (it is exited): only a running container can be paused')
    })
    const w = await mountTable()
    await button(w, 'Pause web').trigger('click')
    await flushPromises()
    expect(row(w, 'web').get('[role="alert"]').text()).toBe('container web is not running (it is exited): only a running container can be paused')
    expect(row(w, 'db').find('[role="alert"]').exists()).toBe(false)
    await button(w, 'Dismiss the error for web').trigger('click')
    expect(row(w, 'web').find('[role="alert"]').exists()).toBe(false)
  })

  it('asks before removing, with force and anonymous volumes as choices', async () => {
    const w = await mountTable()
    await button(w, 'Remove web').trigger('click')
    const dialog = document.querySelector('[role="dialog"]')!
    expect(dialog.textContent).toContain('Remove container web?')
    expect(dialog.textContent).toContain('It is running: without force the engine refuses.')
    expect(fake.calls('containers.remove')).toEqual([])

    const [force, volumes] = [...dialog.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')]
    force!.click()
    volumes!.click()
    await flushPromises()
    expect(dialog.querySelector('code')?.textContent).toBe('docker rm -f -v web')
    ;[...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Remove')!.click()
    await flushPromises()
    expect(fake.calls('containers.remove')).toEqual([{ hostId: 'h1', id: web.id, force: true, removeVolumes: true }])
    expect(document.querySelector('[role="dialog"]')).toBeNull()
  })

  it('sends nothing when the removal is cancelled', async () => {
    const w = await mountTable()
    await button(w, 'Remove db').trigger('click')
    ;[...document.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent === 'Cancel')!.dispatchEvent(new MouseEvent('click'))
    await flushPromises()
    expect(document.querySelector('[role="dialog"]')).toBeNull()
    expect(fake.calls('containers.remove')).toEqual([])
  })

  it('renames inline, refusing a name docker would refuse before sending anything', async () => {
    const w = await mountTable()
    await button(w, 'Rename db').trigger('click')
    const input = row(w, 'db').get<HTMLInputElement>('input[aria-label="New name for db"]')
    await input.setValue('-bad name')
    await row(w, 'db').get('form').trigger('submit')
    expect(row(w, 'db').get('[role="alert"]').text()).toContain('a container name starts with a letter or digit')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(fake.calls('containers.rename')).toEqual([])

    await input.setValue('db-old')
    await row(w, 'db').get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('containers.rename')).toEqual([{ hostId: 'h1', id: db.id, name: 'db-old' }])
    expect(row(w, 'db').find('form').exists()).toBe(false)
    // the rename event brings the new name
    fake.emit('container.stateChanged', { hostId: 'h1', id: db.id, action: 'rename', container: { ...db, name: 'db-old' } })
    await flushPromises()
    expect(w.find('tr[data-container="db-old"]').exists()).toBe(true)
  })

  it('keeps the rename form open with the reason when the engine refuses', async () => {
    fake.handle('containers.rename', () => {
      throw new ApiError('CONFLICT', 'the name web is already in use by another container: remove or rename that one first')
    })
    const w = await mountTable()
    await button(w, 'Rename db').trigger('click')
    await row(w, 'db').get('input[aria-label="New name for db"]').setValue('web')
    await row(w, 'db').get('form').trigger('submit')
    await flushPromises()
    expect(row(w, 'db').find('form').exists()).toBe(true)
    expect(row(w, 'db').get('[role="alert"]').text()).toContain('the name web is already in use')
  })
})
