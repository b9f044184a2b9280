// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_INPUT_CHARS, type TerminalInfo } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import { useTerminalsStore } from '../../renderer/src/features/terminals/terminals-store'
import { ACK_BATCH_BYTES, ACK_IDLE_MS } from '../../renderer/src/features/terminals/ack-batcher'
import { panesOf } from '../../renderer/src/features/terminals/layout'
import { createFakeApi, deferred, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void
let serial = 0

function info(overrides: Partial<TerminalInfo> = {}): TerminalInfo {
  serial += 1
  return {
    terminalId: `term-${String(serial).padStart(8, '0')}`,
    hostId: 'h1',
    kind: 'exec',
    title: 'web: sh',
    container: 'web',
    command: ['sh'],
    tty: true,
    state: 'live',
    ...overrides,
  }
}

/** A screen that records what it was given and draws when told (or at once). */
function sink(auto = true) {
  const written: string[] = []
  const undrawn: (() => void)[] = []
  return {
    written,
    text: () => written.join(''),
    drawAll: () => undrawn.splice(0).forEach((d) => d()),
    write(data: string, drawn: () => void) {
      written.push(data)
      if (auto) drawn()
      else undrawn.push(drawn)
    },
  }
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  setActivePinia(createPinia())
  sessionStorage.clear()
  for (const m of ['terminals.ack', 'terminals.input', 'terminals.resize', 'terminals.close'] as const) fake.handle(m, () => ({}))
})
afterEach(() => {
  restore()
  vi.useRealTimers()
})

/** Opens an exec shell in `web` as the window does: pane first, then the measured size. */
async function openShell(store = useTerminalsStore(), made = info()) {
  fake.handle('terminals.open', () => made)
  const paneId = store.open('h1', { kind: 'exec', container: 'web' })
  await store.start(paneId, 120, 40)
  const screen = sink()
  store.connectScreen(paneId, screen)
  return { store, paneId, screen, made }
}

const acks = () => fake.calls('terminals.ack') as { bytes: number }[]

describe('opening', () => {
  it('opens at the size the pane measured, and shows the terminal in a new active tab', async () => {
    const store = useTerminalsStore()
    const paneId = store.open('h1', { kind: 'exec', container: 'web' })
    expect(store.panes[paneId]!.opening).toBe(true)
    expect(fake.calls('terminals.open')).toEqual([])
    const { made } = await openShell(store)
    expect(fake.calls('terminals.open').at(-1)).toEqual({ hostId: 'h1', spec: { kind: 'exec', container: 'web', cols: 120, rows: 40 } })
    const last = store.tabs.at(-1)!
    expect(store.activeTabId).toBe(last.tabId)
    expect(store.panes[panesOf(last.root)[0]!]!.info).toEqual(made)
  })

  it('opens once however many times the pane reports its size', async () => {
    const store = useTerminalsStore()
    const answer = deferred<TerminalInfo>()
    fake.handle('terminals.open', () => answer.promise)
    const paneId = store.open('h1', { kind: 'host' })
    void store.start(paneId, 80, 24)
    void store.start(paneId, 81, 24)
    answer.resolve(info({ kind: 'host', title: 'berth-h1@h1' }))
    await vi.waitFor(() => expect(store.panes[paneId]!.opening).toBe(false))
    expect(fake.calls('terminals.open')).toHaveLength(1)
  })

  it('says why a terminal could not be opened, in its pane', async () => {
    fake.handle('terminals.open', () => {
      throw new ApiError('NOT_FOUND', 'container web has no shell: neither bash nor sh is in its image')
    })
    const store = useTerminalsStore()
    const paneId = store.open('h1', { kind: 'exec', container: 'web' })
    await store.start(paneId, 80, 24)
    expect(store.panes[paneId]).toMatchObject({ opening: false, error: 'container web has no shell: neither bash nor sh is in its image' })
  })

  it('keeps output that arrives before the open answers, and draws it first', async () => {
    const store = useTerminalsStore()
    const made = info()
    const answer = deferred<TerminalInfo>()
    fake.handle('terminals.open', () => answer.promise)
    const paneId = store.open('h1', { kind: 'exec', container: 'web' })
    const opened = store.start(paneId, 80, 24)
    fake.emit('terminal.output', { hostId: 'h1', terminalId: made.terminalId, data: '/ # ', bytes: 4 })
    const screen = sink()
    store.connectScreen(paneId, screen)
    answer.resolve(made)
    await opened
    fake.emit('terminal.output', { hostId: 'h1', terminalId: made.terminalId, data: 'ls', bytes: 2 })
    expect(screen.text()).toBe('/ # ls')
  })
})

describe('flow control', () => {
  it('acknowledges output only once drawn, batching small pieces for 50 ms', async () => {
    vi.useFakeTimers()
    const store = useTerminalsStore()
    const made = info()
    fake.handle('terminals.open', () => made)
    const paneId = store.open('h1', { kind: 'exec', container: 'web' })
    await store.start(paneId, 80, 24)
    const screen = sink(false)
    store.connectScreen(paneId, screen)
    for (const piece of ['a', 'bb', 'ccc']) fake.emit('terminal.output', { hostId: 'h1', terminalId: made.terminalId, data: piece, bytes: piece.length })
    vi.advanceTimersByTime(ACK_IDLE_MS * 4)
    expect(acks()).toEqual([]) // written, not yet drawn: nothing acknowledged
    screen.drawAll()
    vi.advanceTimersByTime(ACK_IDLE_MS - 1)
    expect(acks()).toEqual([])
    vi.advanceTimersByTime(1)
    expect(acks()).toEqual([{ hostId: 'h1', terminalId: made.terminalId, bytes: 6 }])
  })

  it('acknowledges at once every 32 KiB of a flood, and never more than was drawn', async () => {
    vi.useFakeTimers()
    const { made } = await openShell()
    const chunk = 'y\n'.repeat(4096) // 8 KiB
    for (let i = 0; i < 9; i++) fake.emit('terminal.output', { hostId: 'h1', terminalId: made.terminalId, data: chunk, bytes: chunk.length })
    expect(acks().map((a) => a.bytes)).toEqual([ACK_BATCH_BYTES, ACK_BATCH_BYTES])
    vi.advanceTimersByTime(ACK_IDLE_MS)
    expect(acks().reduce((sum, a) => sum + a.bytes, 0)).toBe(9 * chunk.length)
  })

  it('holds output for a pane whose screen is not there yet, acknowledging it only once shown', async () => {
    vi.useFakeTimers()
    const store = useTerminalsStore()
    const made = info()
    fake.handle('terminals.open', () => made)
    const paneId = store.open('h1', { kind: 'exec', container: 'web' })
    await store.start(paneId, 80, 24)
    fake.emit('terminal.output', { hostId: 'h1', terminalId: made.terminalId, data: 'hello', bytes: 5 })
    vi.advanceTimersByTime(1000)
    expect(acks()).toEqual([])
    const screen = sink()
    store.connectScreen(paneId, screen)
    vi.advanceTimersByTime(ACK_IDLE_MS)
    expect(screen.text()).toBe('hello')
    expect(acks()).toEqual([{ hostId: 'h1', terminalId: made.terminalId, bytes: 5 }])
  })
})

describe('input', () => {
  it('sends each keystroke at once and in order, without waiting for the previous answer', async () => {
    const { store, paneId, made } = await openShell()
    const first = deferred<object>()
    fake.handle('terminals.input', ({ data }) => (data === 'e' ? first.promise : {}))
    store.input(paneId, 'e')
    store.input(paneId, 'c')
    store.input(paneId, 'ho\r')
    expect(fake.calls('terminals.input')).toEqual([
      { hostId: 'h1', terminalId: made.terminalId, data: 'e' },
      { hostId: 'h1', terminalId: made.terminalId, data: 'c' },
      { hostId: 'h1', terminalId: made.terminalId, data: 'ho\r' },
    ])
    first.resolve({})
  })

  it('says once when typing stops reaching the terminal', async () => {
    const { store, paneId } = await openShell()
    fake.handle('terminals.input', () => {
      throw new ApiError('UNREACHABLE', 'h1 is not connected')
    })
    store.input(paneId, 'a')
    store.input(paneId, 'b')
    await vi.waitFor(() => expect(store.panes[paneId]!.error).toBe('Typing did not reach the terminal: h1 is not connected'))
  })

  it('splits a paste larger than one call may carry, keeping an emoji whole', async () => {
    const { store, paneId } = await openShell()
    const paste = `${'x'.repeat(MAX_INPUT_CHARS - 1)}😀${'z'.repeat(10)}`
    store.input(paneId, paste)
    expect(fake.calls('terminals.input')).toHaveLength(2)
    const sent = (fake.calls('terminals.input') as { data: string }[]).map((c) => c.data)
    expect(sent[0]).toBe('x'.repeat(MAX_INPUT_CHARS - 1))
    expect(sent[1]).toBe(`😀${'z'.repeat(10)}`)
    expect(sent.join('')).toBe(paste)
  })

  it('sends nothing to a terminal that is not live', async () => {
    const { store, paneId, made } = await openShell()
    fake.emit('terminal.state', { ...made, state: 'reconnecting' })
    store.input(paneId, 'ls\r')
    await Promise.resolve()
    expect(fake.calls('terminals.input')).toEqual([])
  })
})

describe('state', () => {
  it('follows a dropped link: reconnecting, then live with a visible note of the output not kept', async () => {
    const { store, paneId, screen, made } = await openShell()
    fake.emit('terminal.state', { ...made, state: 'reconnecting', message: 'link lost' })
    expect(store.panes[paneId]!.info!.state).toBe('reconnecting')
    fake.emit('terminal.state', { ...made, state: 'live', gapBytes: 1_258_291 })
    expect(store.panes[paneId]!.info!.state).toBe('live')
    expect(screen.text()).toContain('[… 1.258MB of output not kept while the link was down …]')
  })

  it('shows the exit code on the screen when the process ends, and a detach as detached', async () => {
    const { screen, made } = await openShell()
    fake.emit('terminal.state', { ...made, state: 'exited', exitCode: 130 })
    expect(screen.text()).toContain('[process exited with code 130]')
    const attach = await openShell(useTerminalsStore(), info({ kind: 'attach', title: 'tui-attach', detachKeys: 'ctrl-p,ctrl-q' }))
    fake.emit('terminal.state', { ...attach.made, state: 'detached' })
    expect(attach.screen.text()).toContain('[detached: the container goes on running]')
  })
})

describe('tabs and splits', () => {
  it('splits the active pane with another shell in the same container, and closes panes one by one', async () => {
    const { store, paneId, made } = await openShell()
    const right = store.split('row')!
    const below = store.split('column')!
    const tab = store.tabs[0]!
    expect(panesOf(tab.root)).toEqual([paneId, right, below])
    expect(tab.root).toMatchObject({ type: 'split', direction: 'row' })
    expect(store.panes[right]!.spec).toEqual({ kind: 'exec', container: 'web' })
    store.close(paneId)
    expect(fake.calls('terminals.close')).toEqual([{ hostId: 'h1', terminalId: made.terminalId }])
    expect(panesOf(store.tabs[0]!.root)).toEqual([right, below])
    store.closeTab(tab.tabId)
    expect(store.tabs).toEqual([])
  })

  it('marks a tab whose program rang the bell until it is looked at', async () => {
    const first = await openShell()
    const second = await openShell(useTerminalsStore(), info())
    const store = first.store
    store.ring(second.paneId) // on the active tab: no mark
    expect(store.panes[second.paneId]!.bell).toBe(false)
    store.ring(first.paneId)
    expect(store.panes[first.paneId]!.bell).toBe(true)
    store.activate(store.tabs[0]!.tabId)
    expect(store.panes[first.paneId]!.bell).toBe(false)
  })

  it('zooms the text of every terminal within bounds, and resets it', () => {
    const store = useTerminalsStore()
    for (let i = 0; i < 50; i++) store.zoom(1)
    expect(store.fontSize).toBe(32)
    store.zoom(0)
    expect(store.fontSize).toBe(13)
  })
})

describe('after a window reload', () => {
  it('brings back the terminals main holds, filled from the replay buffer, with no output twice', async () => {
    const live = info({ title: 'web: bash' })
    const ended = info({ kind: 'host', title: 'berth-h1@h1', state: 'exited', exitCode: 0 })
    fake.handle('terminals.list', () => [live, ended, info({ state: 'closed' })])
    const replay = deferred<{ data: string; gapBytes: number }>()
    fake.handle('terminals.replay', ({ terminalId }) => (terminalId === live.terminalId ? replay.promise : { data: 'bye\r\n', gapBytes: 0 }))
    const store = useTerminalsStore()
    const restored = store.restore()
    await vi.waitFor(() => expect(store.tabs).toHaveLength(2))
    const [livePane, endedPane] = store.tabs.map((t) => panesOf(t.root)[0]!)
    const screen = sink()
    store.connectScreen(livePane!, screen)
    // printed before the replay was read: already in it
    fake.emit('terminal.output', { hostId: 'h1', terminalId: live.terminalId, data: 'ls\r\n', bytes: 4 })
    replay.resolve({ data: '$ ls\r\n', gapBytes: 2048 })
    await restored
    fake.emit('terminal.output', { hostId: 'h1', terminalId: live.terminalId, data: 'a.txt\r\n', bytes: 7 })
    expect(screen.text()).toBe('\r\n\x1b[2m[… 2.048kB of output not kept while the link was down …]\x1b[22m\r\n$ ls\r\na.txt\r\n')
    const endedScreen = sink()
    store.connectScreen(endedPane!, endedScreen)
    expect(endedScreen.text()).toContain('bye\r\n')
    expect(endedScreen.text()).toContain('[process exited with code 0]')
    await vi.waitFor(() => expect(acks().reduce((s, a) => s + a.bytes, 0)).toBe(11))
  })

  it('lays the terminals out again as they were, splits and text size included', async () => {
    sessionStorage.clear()
    const made = [info({ title: 'one' }), info({ title: 'two' }), info({ kind: 'host', title: 'three' })]
    let next = 0
    fake.handle('terminals.open', () => made[next++]!)
    fake.handle('terminals.list', () => [])
    const before = useTerminalsStore()
    await before.restore() // nothing to restore: from now on the layout is kept
    const a = before.open('h1', { kind: 'exec', container: 'web' })
    await before.start(a, 80, 24)
    const b = before.split('column')!
    await before.start(b, 80, 12)
    const c = before.open('h1', { kind: 'host' })
    await before.start(c, 80, 24)
    before.zoom(1)
    before.activate(before.tabs[0]!.tabId)
    await vi.waitFor(() => expect(sessionStorage.getItem('berth.terminals.layout')).toContain(made[2]!.terminalId))

    // the reloaded page: a new store, the same window's sessionStorage
    setActivePinia(createPinia())
    fake.handle('terminals.list', () => [made[2]!, made[0]!, made[1]!])
    fake.handle('terminals.replay', () => ({ data: '', gapBytes: 0 }))
    const after = useTerminalsStore()
    await after.restore()
    const titles = (root: Parameters<typeof panesOf>[0]) => panesOf(root).map((id) => after.panes[id]!.info!.title)
    expect(after.tabs.map((t) => [t.root.type, titles(t.root)])).toEqual([
      ['split', ['one', 'two']],
      ['pane', ['three']],
    ])
    expect(after.activeTabId).toBe(after.tabs[0]!.tabId)
    expect(after.fontSize).toBe(14)
  })

  it('catches up when the link to the core returns: states that changed meanwhile, and no stalled output', async () => {
    fake.handle('terminals.list', () => [])
    const { store, paneId, made } = await openShell()
    await store.restore()
    fake.handle('terminals.list', () => [{ ...made, state: 'exited', exitCode: 2 }])
    fake.setConnected(false)
    fake.setConnected(true)
    await vi.waitFor(() => expect(store.panes[paneId]!.info!.state).toBe('exited'))
    expect(fake.calls('terminals.list')).toHaveLength(2)
    expect(store.tabs).toHaveLength(1)
  })
})
