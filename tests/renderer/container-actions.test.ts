// @vitest-environment jsdom
import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { containerTableSetup } from './container-table-setup'
import { container, type FakeApi } from './fake-api'
import { choose, disabled, menuItem, openRowMenu } from './row-menu'

const web = container({ name: 'web', state: 'running' })
const db = container({ name: 'db', state: 'exited', exitCode: 0 })
const cache = container({ name: 'cache', state: 'paused' })
const { fake: currentFake, mountTable } = containerTableSetup([web, db, cache])
let fake: FakeApi

beforeEach(() => {
  fake = currentFake()
  for (const m of ['containers.pause', 'containers.unpause', 'containers.kill', 'containers.restart', 'containers.remove'] as const) {
    fake.handle(m, ({ id }) => ({ id }))
  }
  fake.handle('containers.rename', ({ id, name }) => ({ id, name }))
})

type Wrapper = Awaited<ReturnType<typeof mountTable>>
const button = (w: Wrapper, label: string) => w.get<HTMLButtonElement>(`button[aria-label="${label}"]`)
const row = (w: Wrapper, name: string) => w.get(`tr[data-container="${name}"]`)

describe('container actions in the table', () => {
  it('shows each row its state\'s next step and a menu of every action, each titled with its docker command', async () => {
    const w = await mountTable()
    const own = (name: string) => row(w, name).findAll('td.actions button').map((b) => b.attributes('aria-label'))
    expect(own('web')).toEqual(['Stop web', 'Exec shell in web', 'Actions for web'])
    expect(own('db')).toEqual(['Start db', 'Actions for db'])
    expect(own('cache')).toEqual(['Unpause cache', 'Actions for cache'])
    expect(button(w, 'Stop web').attributes('title')).toBe('docker stop web')

    const menu = await openRowMenu(w, 'web')
    expect(button(w, 'Actions for web').attributes('aria-expanded')).toBe('true')
    const items = [...menu.querySelectorAll<HTMLElement>(':scope > [role="menuitem"]')]
    expect(items.map((i) => [i.getAttribute('aria-label'), i.title, disabled(i)])).toEqual([
      ['Start web', 'docker start web: only a created or exited container can be started', true],
      ['Stop web', 'docker stop web', false],
      ['Restart container web', 'docker restart web', false],
      ['Pause web', 'docker pause web', false],
      ['Kill web', 'docker kill web', false],
      ['Kill web with a signal', 'docker kill -s SIGNAL', false],
      ['Exec shell in web', 'docker exec -it web sh (bash when the container has it)', false],
      ['Exec a command in web', 'docker exec -it web <command>', false],
      ['Attach to web', 'docker attach web', false],
      ['Rename web', 'docker rename web <new name>', false],
      ['Commit web', 'docker commit web', false],
      ['Export the filesystem of web', 'docker export web -o FILE', false],
      ['Remove web', 'docker rm web', false],
    ])
  })

  it('offers Unpause in Pause\'s place for a paused container; an exited one cannot be paused or killed', async () => {
    const w = await mountTable()
    await openRowMenu(w, 'cache')
    expect(disabled(menuItem('Unpause cache'))).toBe(false)
    expect(document.querySelector('[aria-label="Pause cache"]')).toBeNull()
    menuItem('Unpause cache').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    // Escape closes the menu and gives the focus back to its button
    expect(document.querySelector('[role="menu"]')).toBeNull()
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Actions for cache')
    await openRowMenu(w, 'db')
    expect(disabled(menuItem('Pause db'))).toBe(true)
    expect(menuItem('Pause db').title).toBe('docker pause db: only a running container can be paused')
    expect(disabled(menuItem('Kill db'))).toBe(true)
    expect(disabled(menuItem('Kill db with a signal'))).toBe(true)
    expect(disabled(menuItem('Restart container db'))).toBe(false)
  })

  it('pauses, unpauses, restarts and kills (SIGKILL, as docker kill does) with one call each', async () => {
    const w = await mountTable()
    await choose(w, 'web', 'Pause web')
    await button(w, 'Unpause cache').trigger('click')
    await choose(w, 'db', 'Restart container db')
    await flushPromises()
    await choose(w, 'web', 'Kill web')
    expect(fake.calls('containers.pause')).toEqual([{ hostId: 'h1', id: web.id }])
    expect(fake.calls('containers.unpause')).toEqual([{ hostId: 'h1', id: cache.id }])
    expect(fake.calls('containers.restart')).toEqual([{ hostId: 'h1', id: db.id }])
    expect(fake.calls('containers.kill')).toEqual([{ hostId: 'h1', id: web.id }])
    expect(document.querySelector('[role="menu"]')).toBeNull()
  })

  it('kills with the signal chosen from the submenu, each titled with its docker kill -s', async () => {
    const w = await mountTable()
    await openRowMenu(w, 'web')
    menuItem('Kill web with a signal').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
    await flushPromises()
    expect(menuItem('Kill web with SIGTERM').title).toBe('docker kill -s TERM web')
    expect(menuItem('Kill web with SIGKILL').title).toBe('docker kill web')
    menuItem('Kill web with SIGTERM').click()
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
    await choose(w, 'web', 'Pause web')
    expect(row(w, 'web').get('[role="alert"]').text()).toBe('container web is not running (it is exited): only a running container can be paused')
    expect(row(w, 'db').find('[role="alert"]').exists()).toBe(false)
    await button(w, 'Dismiss the error for web').trigger('click')
    expect(row(w, 'web').find('[role="alert"]').exists()).toBe(false)
  })

  it('asks before removing, with force and anonymous volumes as choices', async () => {
    const w = await mountTable()
    await choose(w, 'web', 'Remove web')
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
    await choose(w, 'db', 'Remove db')
    ;[...document.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent === 'Cancel')!.dispatchEvent(new MouseEvent('click'))
    await flushPromises()
    expect(document.querySelector('[role="dialog"]')).toBeNull()
    expect(fake.calls('containers.remove')).toEqual([])
  })

  it('renames inline, refusing a name docker would refuse before sending anything', async () => {
    const w = await mountTable()
    await choose(w, 'db', 'Rename db')
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
    await choose(w, 'db', 'Rename db')
    await row(w, 'db').get('input[aria-label="New name for db"]').setValue('web')
    await row(w, 'db').get('form').trigger('submit')
    await flushPromises()
    expect(row(w, 'db').find('form').exists()).toBe(true)
    expect(row(w, 'db').get('[role="alert"]').text()).toContain('the name web is already in use')
  })
})
