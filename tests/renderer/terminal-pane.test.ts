// @vitest-environment jsdom
/**
 * The pane around a terminal's screen: what it says about the terminal's state, and how it
 * wires the screen to the store. xterm itself does not run in jsdom, so the screen is a fake
 * with the same surface; the real one is exercised in Chromium by tests/lab/terminals-ui.test.ts.
 */
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { TerminalInfo } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import TerminalPane from '../../renderer/src/features/terminals/TerminalPane.vue'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { useTerminalsStore } from '../../renderer/src/features/terminals/terminals-store'
import type { ScreenEvents } from '../../renderer/src/features/terminals/screen'
import { createFakeApi, host, type FakeApi } from './fake-api'

const screens = vi.hoisted(() => new Map<string, FakeScreen>())

class FakeScreen {
  events: ScreenEvents | undefined
  written: string[] = []
  term = { cols: 80, rows: 24, clearSelection: () => {} }
  search = { findNext: vi.fn(() => true), findPrevious: vi.fn(() => true), clearDecorations: vi.fn() }
  convertEol = false
  disposed = false
  listen(events: ScreenEvents | undefined) { this.events = events }
  mount() {}
  fit() {
    this.term.cols = 100
    this.term.rows = 30
    return { cols: 100, rows: 30 }
  }
  write(data: string, drawn: () => void) {
    this.written.push(data)
    drawn()
  }
  setFontSize() {}
  setConvertEol(on: boolean) { this.convertEol = on }
  focus() {}
}

vi.mock('../../renderer/src/features/terminals/screen', () => ({
  screenFor: (paneId: string) => {
    if (!screens.has(paneId)) screens.set(paneId, new FakeScreen())
    return screens.get(paneId)!
  },
  disposeScreen: (paneId: string) => {
    const s = screens.get(paneId)
    if (s) s.disposed = true
    screens.delete(paneId)
  },
}))

let fake: FakeApi
let restore: () => void

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  for (const m of ['terminals.input', 'terminals.resize', 'terminals.close', 'terminals.ack'] as const) fake.handle(m, () => ({}))
  globalThis.ResizeObserver = class { observe() {} disconnect() {} unobserve() {} } as unknown as typeof ResizeObserver
})
afterEach(() => {
  restore()
  document.body.innerHTML = ''
  screens.clear()
})

function terminal(overrides: Partial<TerminalInfo> = {}): TerminalInfo {
  return { terminalId: 'term-12345678', hostId: 'h1', kind: 'attach', title: 'tui-attach', container: 'tui-attach', command: ['sh'], tty: false, detachKeys: 'ctrl-a,d', state: 'live', ...overrides }
}

async function mountPane(made = terminal()) {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  await useHostsStore(pinia).load()
  const store = useTerminalsStore(pinia)
  fake.handle('terminals.open', () => made)
  const paneId = store.open('h1', { kind: made.kind, container: made.container })
  const w = mount(TerminalPane, { props: { paneId }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return { w, store, paneId, screen: screens.get(paneId)! }
}

describe('a terminal pane', () => {
  it('opens at the size it fitted, and explains an attach with its own detach keys', async () => {
    const { w, screen } = await mountPane()
    expect(fake.calls('terminals.open')).toEqual([{ hostId: 'h1', spec: { kind: 'attach', container: 'tui-attach', cols: 100, rows: 30 } }])
    const section = w.get('section')
    expect([section.attributes('data-state'), section.attributes('data-cols'), section.attributes('data-rows')]).toEqual(['live', '100', '30'])
    expect(w.get('[role="note"]').text()).toBe(
      "Attached to the container's main process: exiting it (exit, Ctrl-D, Ctrl-C) stops the container. Detach with Ctrl-A d to leave it running.",
    )
    // an attach without a TTY prints bare newlines
    expect(screen.convertEol).toBe(true)
  })

  it('sends what is typed, and the size once it settles', async () => {
    const { screen } = await mountPane(terminal({ kind: 'exec', tty: true }))
    screen.events!.data('ls\r')
    screen.events!.resize(90, 20)
    expect(fake.calls('terminals.input')).toEqual([{ hostId: 'h1', terminalId: 'term-12345678', data: 'ls\r' }])
    expect(fake.calls('terminals.resize')).toEqual([{ hostId: 'h1', terminalId: 'term-12345678', cols: 90, rows: 20 }])
  })

  it('says the link dropped while reconnecting, then the exit code when the process ends', async () => {
    const { w } = await mountPane(terminal({ kind: 'exec', tty: true }))
    fake.emit('terminal.state', terminal({ kind: 'exec', tty: true, state: 'reconnecting' }))
    await flushPromises()
    expect(w.get('[role="status"]').text()).toContain('Not connected to alpha: this terminal resumes when the host is connected again.')
    fake.emit('terminal.state', terminal({ kind: 'exec', tty: true, state: 'live' }))
    await flushPromises()
    // back live: the program hears the size it may have missed
    expect(fake.calls('terminals.resize')).toEqual([{ hostId: 'h1', terminalId: 'term-12345678', cols: 100, rows: 30 }])
    fake.emit('terminal.state', terminal({ kind: 'exec', tty: true, state: 'exited', exitCode: 127 }))
    await flushPromises()
    expect(w.get('[role="status"]').text()).toBe('The process exited with code 127.')
    expect(w.get('section').attributes('data-state')).toBe('exited')
  })

  it('searches the scrollback from its search box', async () => {
    const { w, screen } = await mountPane()
    await w.get('button[aria-label^="Search in"]').trigger('click')
    await w.get('input[aria-label="Search the scrollback"]').setValue('needle')
    expect(screen.search.findNext).toHaveBeenLastCalledWith('needle', { incremental: true })
    screen.search.findNext.mockReturnValue(false)
    await w.get('form[role="search"]').trigger('submit')
    expect(w.get('form[role="search"] [role="status"]').text()).toBe('not found')
  })

  it('keeps its screen across a remount (a split moves it) and lets it go once closed', async () => {
    const { w, store, paneId, screen } = await mountPane()
    w.unmount()
    expect(screen.disposed).toBe(false)
    const again = mount(TerminalPane, { props: { paneId }, global: { plugins: [] } })
    expect(screens.get(paneId)).toBe(screen)
    store.close(paneId)
    again.unmount()
    expect(screen.disposed).toBe(true)
  })
})
