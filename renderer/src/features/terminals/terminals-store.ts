/**
 * Terminals in the window: exec shells, attaches and host shells, in tabs and splits, on any
 * number of hosts at once. A pane is made first and its terminal opened once the pane has
 * measured itself, so the program draws its first prompt at the right size. Output is drawn
 * through PaneOutput and acknowledged in batches once drawn: that is the flow control that keeps
 * a flood in one terminal from freezing the window. After a window reload, the terminals main
 * still holds come back, laid out as they were, filled with what the host's replay buffer kept.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, watch } from 'vue'
import type { TerminalInfo, TerminalSpec } from '../../../../protocol/schema'
import { toErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'
import { AckBatcher } from './ack-batcher'
import { InputSender } from './input-sender'
import { panesOf, type SplitDirection } from './layout'
import { PaneOutput, type PaneSink } from './pane-output'
import { loadLayout, rebuildTabs, saveLayout } from './saved-layout'
import { newId, useTerminalTabs } from './tabs'
import { endNote, gapNote } from './wording'

/** What to open; the size comes from the pane. */
export type OpenSpec = Omit<TerminalSpec, 'cols' | 'rows'>

export interface TerminalPane {
  paneId: string
  hostId: string
  spec: OpenSpec
  /** Set once main has opened it. */
  info?: TerminalInfo
  opening: boolean
  /** Why it could not be opened, or why input stopped reaching it. */
  error?: string
  /** The program rang the bell since the tab was last looked at. */
  bell: boolean
}

export const DEFAULT_FONT_SIZE_PX = 13
const MIN_FONT_SIZE_PX = 7
const MAX_FONT_SIZE_PX = 32

/** What a new pane beside `spec`'s opens: another shell there (a second attach would only mirror the first). */
function siblingSpec(spec: OpenSpec): OpenSpec {
  if (spec.kind === 'host') return { kind: 'host' }
  return { kind: 'exec', container: spec.container }
}

function specOf(info: TerminalInfo): OpenSpec {
  if (info.kind === 'host') return { kind: 'host' }
  return { kind: info.kind, container: info.container }
}

export const useTerminalsStore = defineStore('terminals', () => {
  const api = useApi()
  const layout = useTerminalTabs()
  const panes = ref<Record<string, TerminalPane>>({})
  const fontSize = ref(DEFAULT_FONT_SIZE_PX)
  const collapsed = ref(false)

  // bookkeeping, never rendered: kept out of reactive state
  const output = new PaneOutput()
  const paneOfTerminal = new Map<string, string>()
  const acks = new Map<string, AckBatcher>()
  const inputs = new Map<string, InputSender>()
  /** Terminals being filled from the replay buffer: their live output is in it already. */
  const replaying = new Set<string>()
  /** Output for a terminal whose open has not answered yet. */
  const early = new Map<string, { hostId: string; data: string; bytes: number }[]>()
  const starting = new Set<string>()

  const openingCount = computed(() => Object.values(panes.value).filter((p) => p.opening).length)

  /** `where` 'none' leaves placing the pane to the caller. */
  function addPane(hostId: string, spec: OpenSpec, where: 'tab' | 'none' | SplitDirection, info?: TerminalInfo): string {
    const paneId = newId('pane')
    panes.value[paneId] = { paneId, hostId, spec, info, opening: info === undefined, bell: false }
    if (where === 'tab' || (where !== 'none' && !layout.addBeside(paneId, where))) layout.addTab(paneId)
    collapsed.value = false
    return paneId
  }

  /** Makes a pane for a new terminal; it opens once the pane knows its size (see `start`). */
  function open(hostId: string, spec: OpenSpec): string {
    return addPane(hostId, spec, 'tab')
  }

  /** Splits the active pane: a new shell of the same kind beside it (row) or below it (column). */
  function split(direction: SplitDirection): string | null {
    const tab = layout.activeTab.value
    const pane = tab ? panes.value[tab.activePaneId] : undefined
    if (!pane) return null
    return addPane(pane.hostId, siblingSpec(pane.spec), direction)
  }

  function bind(paneId: string, info: TerminalInfo): void {
    const { terminalId, hostId } = info
    paneOfTerminal.set(terminalId, paneId)
    acks.set(terminalId, new AckBatcher((bytes) => api.invoke('terminals.ack', { hostId, terminalId, bytes })))
    inputs.set(
      terminalId,
      new InputSender(
        (data) => api.invoke('terminals.input', { hostId, terminalId, data }),
        (err) => {
          const pane = panes.value[paneId]
          if (pane && pane.info?.state === 'live') pane.error = `Typing did not reach the terminal: ${toErrorView(err).message}`
        },
      ),
    )
  }

  /** Opens the pane's terminal at the size the pane measured. */
  async function start(paneId: string, cols: number, rows: number): Promise<void> {
    const pane = panes.value[paneId]
    if (!pane || !pane.opening || starting.has(paneId)) return
    starting.add(paneId)
    try {
      const info = await api.invoke('terminals.open', { hostId: pane.hostId, spec: { ...pane.spec, cols, rows } })
      const current = panes.value[paneId]
      if (!current) {
        // closed while opening
        void api.invoke('terminals.close', { hostId: info.hostId, terminalId: info.terminalId }).catch(() => {})
        return
      }
      bind(paneId, info)
      current.info = info
      current.opening = false
      for (const piece of early.get(info.terminalId) ?? []) onOutput(piece.hostId, info.terminalId, piece.data, piece.bytes)
      early.delete(info.terminalId)
      if (info.state !== 'live') output.draw(paneId, endNote(info))
    } catch (err) {
      const current = panes.value[paneId]
      if (current) {
        current.opening = false
        current.error = toErrorView(err).message
      }
    } finally {
      starting.delete(paneId)
      dropEarlyIfNoneOpening()
    }
  }

  /** Output of a terminal this window does not show: acknowledged so main is not left waiting on it. */
  function discard(hostId: string, terminalId: string, bytes: number): void {
    if (bytes > 0) void api.invoke('terminals.ack', { hostId, terminalId, bytes }).catch(() => {})
  }

  function dropEarlyIfNoneOpening(): void {
    if (openingCount.value > 0) return
    for (const [terminalId, pieces] of early) {
      discard(pieces[0]!.hostId, terminalId, pieces.reduce((sum, p) => sum + p.bytes, 0))
    }
    early.clear()
  }

  function onOutput(hostId: string, terminalId: string, data: string, bytes: number): void {
    const paneId = paneOfTerminal.get(terminalId)
    if (paneId === undefined) {
      if (openingCount.value === 0) return discard(hostId, terminalId, bytes)
      const list = early.get(terminalId) ?? []
      list.push({ hostId, data, bytes })
      early.set(terminalId, list)
      return
    }
    const ack = () => acks.get(terminalId)?.drawn(bytes)
    if (replaying.has(terminalId)) ack()
    else output.draw(paneId, data, ack)
  }

  function onState(info: TerminalInfo): void {
    const paneId = paneOfTerminal.get(info.terminalId)
    const pane = paneId === undefined ? undefined : panes.value[paneId]
    if (!pane || !paneId) return
    const before = pane.info?.state
    pane.info = info
    if (info.state === 'live') pane.error = undefined
    if (info.gapBytes && before === 'reconnecting' && info.state !== 'reconnecting') output.draw(paneId, gapNote(info.gapBytes))
    if ((info.state === 'exited' || info.state === 'detached') && before !== info.state) {
      acks.get(info.terminalId)?.flush()
      output.draw(paneId, endNote(info))
    }
  }

  /** Keystrokes and pastes from the pane's screen; dropped unless the terminal is live. */
  function input(paneId: string, data: string): void {
    const info = panes.value[paneId]?.info
    if (info?.state === 'live') inputs.get(info.terminalId)?.push(data)
  }

  function resize(paneId: string, cols: number, rows: number): void {
    const info = panes.value[paneId]?.info
    if (info?.state !== 'live' && info?.state !== 'reconnecting') return
    void api.invoke('terminals.resize', { hostId: info.hostId, terminalId: info.terminalId, cols, rows }).catch(() => {})
  }

  function forgetTerminal(terminalId: string): void {
    acks.get(terminalId)?.dispose()
    acks.delete(terminalId)
    inputs.delete(terminalId)
    replaying.delete(terminalId)
    paneOfTerminal.delete(terminalId)
  }

  /** Closes a pane: an exec or host shell is hung up, an attach detaches. */
  function close(paneId: string): void {
    const pane = panes.value[paneId]
    if (!pane) return
    layout.removeFromTabs(paneId)
    delete panes.value[paneId]
    output.forget(paneId)
    const info = pane.info
    if (!info) return
    forgetTerminal(info.terminalId)
    if (info.state !== 'closed') {
      void api.invoke('terminals.close', { hostId: info.hostId, terminalId: info.terminalId }).catch(() => {})
    }
  }

  function closeTab(tabId: string): void {
    const tab = layout.tabs.value.find((t) => t.tabId === tabId)
    if (!tab) return
    for (const paneId of panesOf(tab.root)) close(paneId)
  }

  function ring(paneId: string): void {
    const pane = panes.value[paneId]
    if (pane && layout.tabOf(paneId)?.tabId !== layout.activeTabId.value) pane.bell = true
  }

  function activate(tabId: string): void {
    layout.activate(tabId)
    const tab = layout.activeTab.value
    if (tab) for (const paneId of panesOf(tab.root)) if (panes.value[paneId]) panes.value[paneId].bell = false
  }

  function setFontSize(px: number): void {
    fontSize.value = Math.min(MAX_FONT_SIZE_PX, Math.max(MIN_FONT_SIZE_PX, Math.round(px)))
  }

  function zoom(step: -1 | 0 | 1): void {
    setFontSize(step === 0 ? DEFAULT_FONT_SIZE_PX : fontSize.value + step)
  }

  const storage = (): Storage | undefined => globalThis.sessionStorage
  // saved only once restored: the empty workspace of a fresh page must not overwrite the layout
  let restored = false
  watch(
    () => [layout.tabs.value, layout.activeTabId.value, fontSize.value, Object.values(panes.value).map((p) => p.info?.terminalId)],
    () => restored && saveLayout(storage(), layout.tabs.value, (id) => panes.value[id]?.info?.terminalId, layout.activeTabId.value, fontSize.value),
    { deep: true },
  )

  /**
   * Brings back the terminals main still holds (the window was reloaded), laid out as they were;
   * called again when the link to the core returns, it catches up on what changed meanwhile.
   */
  async function restore(): Promise<void> {
    let list: TerminalInfo[] = []
    try {
      list = await api.invoke('terminals.list', {})
    } catch {
      // no terminals to bring back: the workspace starts empty
    }
    const saved = loadLayout(storage())
    if (saved?.fontSize) setFontSize(saved.fontSize)
    const known = new Set(Object.values(panes.value).map((p) => p.info?.terminalId))
    const paneOf = new Map<string, string>()
    const fresh: [string, TerminalInfo][] = []
    for (const info of list) {
      // already shown (the link to the core came back): only its state may have moved on
      if (known.has(info.terminalId)) onState(info)
      if (info.state === 'closed' || known.has(info.terminalId)) continue
      const paneId = addPane(info.hostId, specOf(info), 'none', info)
      bind(paneId, info)
      replaying.add(info.terminalId)
      paneOf.set(info.terminalId, paneId)
      fresh.push([paneId, info])
    }
    const rebuilt = rebuildTabs(saved, paneOf)
    layout.addTabs(rebuilt.tabs, rebuilt.activeTabId)
    restored = true
    await Promise.all(fresh.map(([paneId, info]) => fill(paneId, info)))
  }

  /** Fills a restored pane with what the host's replay buffer kept. */
  async function fill(paneId: string, info: TerminalInfo): Promise<void> {
    try {
      const replay = await api.invoke('terminals.replay', { hostId: info.hostId, terminalId: info.terminalId })
      if (replay.gapBytes > 0) output.draw(paneId, gapNote(replay.gapBytes))
      output.draw(paneId, replay.data)
    } catch (err) {
      const pane = panes.value[paneId]
      if (pane) pane.error = `What was printed before the reload could not be shown: ${toErrorView(err).message}`
    } finally {
      replaying.delete(info.terminalId)
    }
    if (info.state !== 'live' && info.state !== 'reconnecting') output.draw(paneId, endNote(info))
  }

  const offOutput = api.on('terminal.output', ({ hostId, terminalId, data, bytes }) => onOutput(hostId, terminalId, data, bytes))
  const offState = api.on('terminal.state', (info) => onState(info))
  // events were lost while the link to the core was down: terminals.list has main forget the
  // output it counts as unacknowledged (or a terminal would stall), and brings the states up to date
  const offConnection = api.onConnectionChange((connected) => {
    if (connected && restored) void restore()
  })
  onScopeDispose(() => {
    offOutput()
    offState()
    offConnection()
    for (const ack of acks.values()) ack.dispose()
  })

  return {
    panes,
    tabs: layout.tabs,
    activeTabId: layout.activeTabId,
    activeTab: layout.activeTab,
    fontSize,
    collapsed,
    open,
    split,
    start,
    input,
    resize,
    close,
    closeTab,
    activate,
    focusPane: layout.focusPane,
    ring,
    zoom,
    restore,
    connectScreen: (paneId: string, sink: PaneSink) => output.connect(paneId, sink),
    disconnectScreen: (paneId: string, sink: PaneSink) => output.disconnect(paneId, sink),
  }
})
