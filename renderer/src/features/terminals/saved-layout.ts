/**
 * The workspace's arrangement, kept in the window's sessionStorage so a reload brings the
 * terminals back as they were laid out: main knows the terminals, not the tabs and splits.
 * Panes are saved by terminal id (a pane's own id does not outlive the page).
 */
import { renamePanes, type LayoutNode } from './layout'
import { newId, type TerminalTab } from './tabs'

const STORAGE_KEY = 'berth.terminals.layout'

export interface SavedLayout {
  /** Each tab's tree, with terminal ids where the panes were. */
  tabs: { root: LayoutNode; active: string }[]
  activeIndex: number
  fontSize: number
}

export function saveLayout(storage: Storage | undefined, tabs: TerminalTab[], terminalOf: (paneId: string) => string | undefined, activeTabId: string | null, fontSize: number): void {
  const saved: SavedLayout = { tabs: [], activeIndex: -1, fontSize }
  for (const tab of tabs) {
    const root = renamePanes(tab.root, (paneId) => terminalOf(paneId) ?? null)
    if (!root) continue
    if (tab.tabId === activeTabId) saved.activeIndex = saved.tabs.length
    saved.tabs.push({ root, active: terminalOf(tab.activePaneId) ?? '' })
  }
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(saved))
  } catch {
    // storage full or denied: a reload then shows one tab per terminal, which still works
  }
}

export function loadLayout(storage: Storage | undefined): SavedLayout | null {
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as SavedLayout | null
    return saved && Array.isArray(saved.tabs) ? saved : null
  } catch {
    return null
  }
}

/**
 * The saved tabs for the panes that came back (`paneOf` maps a terminal id to its new pane),
 * then a tab of its own for each pane the saved layout did not know.
 */
export function rebuildTabs(saved: SavedLayout | null, paneOf: Map<string, string>): { tabs: TerminalTab[]; activeTabId: string | null } {
  const placed = new Set<string>()
  const tabs: TerminalTab[] = []
  let activeTabId: string | null = null
  saved?.tabs.forEach((entry, index) => {
    const root = renamePanes(entry.root, (terminalId) => {
      const paneId = paneOf.get(terminalId)
      if (paneId === undefined || placed.has(paneId)) return null
      placed.add(paneId)
      return paneId
    })
    if (!root) return
    const tab = { tabId: newId('tab'), root, activePaneId: paneOf.get(entry.active) ?? firstPane(root) }
    if (index === saved.activeIndex) activeTabId = tab.tabId
    tabs.push(tab)
  })
  for (const paneId of paneOf.values()) {
    if (!placed.has(paneId)) tabs.push({ tabId: newId('tab'), root: { type: 'pane', paneId }, activePaneId: paneId })
  }
  return { tabs, activeTabId: activeTabId ?? tabs.at(-1)?.tabId ?? null }
}

function firstPane(root: LayoutNode): string {
  return root.type === 'pane' ? root.paneId : firstPane(root.children[0]!)
}
