// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { TerminalInfo } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import ContainerTable from '../../renderer/src/features/containers/ContainerTable.vue'
import HostHeader from '../../renderer/src/features/hosts/HostHeader.vue'
import RunForm from '../../renderer/src/features/containers/RunForm.vue'
import TerminalWorkspace from '../../renderer/src/features/terminals/TerminalWorkspace.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { useTerminalsStore } from '../../renderer/src/features/terminals/terminals-store'
import { container, createFakeApi, host, type FakeApi } from './fake-api'
import { choose, disabled, menuItem, openRowMenu } from './row-menu'


let fake: FakeApi
let restore: () => void

const web = container({ name: 'web', state: 'running' })
const db = container({ name: 'db', state: 'exited', exitCode: 0 })
const alpha = host({ id: 'h1', name: 'alpha', state: 'connected' })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [alpha])
  fake.handle('containers.list', () => [web, db])
  fake.handle('terminals.list', () => [])
  fake.handle('terminals.close', () => ({}))
})
afterEach(() => {
  restore()
  document.body.innerHTML = ''
})
// after the cleanup above in order, so it runs first (hooks run in reverse): a table left mounted
// keeps its row menus in the page, under the same ids as the next test's
enableAutoUnmount(afterEach)

async function setup() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  return { pinia, terminals: useTerminalsStore(pinia) }
}

const dialog = () => document.querySelector('[role="dialog"]')!
const field = (label: string) => {
  const l = [...dialog().querySelectorAll('label')].find((x) => x.textContent === label)!
  return document.getElementById(l.htmlFor) as HTMLInputElement
}
async function type(el: HTMLInputElement, value: string) {
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}

describe('exec and attach from the container actions', () => {
  it('offers Exec shell, Exec… and Attach on a running container only, each titled with its docker command', async () => {
    const { pinia } = await setup()
    const w = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    // a running container's row has its own Exec shell button; the menu has all three
    expect(w.get('button[aria-label="Exec shell in web"]').attributes('title')).toBe('docker exec -it web sh (bash when the container has it)')
    expect(w.find('button[aria-label="Exec shell in db"]').exists()).toBe(false)
    await openRowMenu(w, 'web')
    expect(menuItem('Exec shell in web').title).toBe('docker exec -it web sh (bash when the container has it)')
    expect(menuItem('Exec a command in web').title).toBe('docker exec -it web <command>')
    expect(menuItem('Attach to web').title).toBe('docker attach web')
    expect(disabled(menuItem('Attach to web'))).toBe(false)
    await openRowMenu(w, 'db')
    for (const name of ['Exec shell in db', 'Exec a command in db', 'Attach to db']) expect(disabled(menuItem(name))).toBe(true)
    expect(menuItem('Attach to db').title).toBe('docker attach db: the container is not running')
  })

  it('opens an exec shell at once, and an exec with the options of the form once they are valid', async () => {
    const { pinia, terminals } = await setup()
    const w = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    await w.get('button[aria-label="Exec shell in web"]').trigger('click')
    expect(Object.values(terminals.panes).map((p) => p.spec)).toEqual([{ kind: 'exec', container: 'web' }])

    await choose(w, 'web', 'Exec a command in web')
    await type(field('Working directory'), 'tmp')
    expect(dialog().querySelector('[role="alert"]')!.textContent).toBe('the working directory is an absolute path')
    ;(dialog().querySelector('button[type="submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(Object.keys(terminals.panes)).toHaveLength(1) // refused: nothing opened

    await type(field('Working directory'), '/tmp')
    await type(field('Command'), 'top -d 1')
    await type(field('User'), 'nobody')
    expect(dialog().querySelector('code')!.textContent).toBe('docker exec -it -u nobody -w /tmp web top -d 1')
    ;(dialog().querySelector('button[type="submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[role="dialog"]')).toBeNull()
    expect(Object.values(terminals.panes).at(-1)!.spec).toEqual({ kind: 'exec', container: 'web', command: ['top', '-d', '1'], user: 'nobody', workdir: '/tmp' })
  })

  it('attaches with the detach keys of the form, explaining what exiting does', async () => {
    const { pinia, terminals } = await setup()
    const w = mount(ContainerTable, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    await choose(w, 'web', 'Attach to web')
    expect(dialog().textContent).toContain('exiting it (exit, Ctrl-D, Ctrl-C) stops the container. Detach with Ctrl-P Ctrl-Q')
    await type(field('Detach keys'), 'ctrl-x,1')
    ;(dialog().querySelector('button[type="submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(dialog().querySelector('[role="alert"]')!.textContent).toContain('detach keys are comma-separated keys')
    await type(field('Detach keys'), 'ctrl-x,y')
    expect(dialog().textContent).toContain('Detach with Ctrl-X y to leave it running.')
    ;(dialog().querySelector('button[type="submit"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(Object.values(terminals.panes).map((p) => p.spec)).toEqual([{ kind: 'attach', container: 'web', detachKeys: 'ctrl-x,y' }])
  })
})

describe('a shell on the host', () => {
  it('is a button in the header of a connected host, titled with the ssh command it equals', async () => {
    const { pinia, terminals } = await setup()
    const w = mount(HostHeader, { props: { host: { ...alpha, port: 2222 } }, global: { plugins: [pinia] } })
    const shell = w.get('button[aria-label="Shell on alpha"]')
    expect(shell.attributes('title')).toBe('ssh -p 2222 deploy@alpha.example.com')
    await shell.trigger('click')
    expect(Object.values(terminals.panes).map((p) => [p.hostId, p.spec])).toEqual([['h1', { kind: 'host' }]])
    await w.setProps({ host: { ...alpha, state: 'disconnected' } })
    expect(w.find('button[aria-label="Shell on alpha"]').exists()).toBe(false)
  })
})

describe('run attached', () => {
  it('runs the container interactive with a TTY, then opens an attach terminal on it', async () => {
    const { pinia, terminals } = await setup()
    fake.handle('containers.run', ({ name }) => ({ id: 'f'.repeat(64), name: name ?? 'random_name' }))
    const w = mount(RunForm, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
    await type(field('Image'), 'lab/busybox:1')
    await type(field('Container name'), 'tui-run')
    await type(field('Command'), 'sh')
    await w.get('input[type="radio"][name="attach"][value="true"]').setValue(true)
    expect(w.get('code[aria-label="Equivalent docker command"]').text()).toBe('docker run -it --name tui-run lab/busybox:1 sh')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(fake.calls('containers.run')).toEqual([{ hostId: 'h1', image: 'lab/busybox:1', name: 'tui-run', command: ['sh'], interactive: true, tty: true }])
    expect(Object.values(terminals.panes).map((p) => p.spec)).toEqual([{ kind: 'attach', container: 'tui-run' }])
  })
})

describe('the workspace', () => {
  function info(terminalId: string, overrides: Partial<TerminalInfo> = {}): TerminalInfo {
    return { terminalId, hostId: 'h1', kind: 'exec', title: 'web: bash', container: 'web', command: ['bash'], tty: true, state: 'live', ...overrides }
  }

  it('restores the terminals main holds as tabs, each titled with its host and showing its state', async () => {
    fake.handle('terminals.list', () => [info('term-aaaaaaaa'), info('term-bbbbbbbb', { kind: 'attach', title: 'tui-attach', state: 'detached' })])
    fake.handle('terminals.replay', () => ({ data: '', gapBytes: 0 }))
    const { pinia, terminals } = await setup()
    const w = mount(TerminalWorkspace, { global: { plugins: [pinia], stubs: { TerminalPane: true } }, attachTo: document.body })
    await flushPromises()
    const tabs = () => w.findAll('[role="tab"]').map((t) => t.text().replace(/\s+/g, ' '))
    expect(tabs()).toEqual(['web: bash — alpha', 'tui-attach — alpha detached'])
    expect(w.get('[role="tab"][aria-selected="true"]').text()).toContain('tui-attach')

    const first = Object.values(terminals.panes)[0]!
    fake.emit('terminal.state', { ...first.info!, state: 'reconnecting' })
    terminals.ring(first.paneId)
    await flushPromises()
    expect(tabs()[0]).toBe('🔔 web: bash — alpha reconnecting')

    await w.get('button[aria-label="Close tab web: bash — alpha"]').trigger('click')
    expect(fake.calls('terminals.close')).toEqual([{ hostId: 'h1', terminalId: 'term-aaaaaaaa' }])
    expect(tabs()).toEqual(['tui-attach — alpha detached'])
  })
})
