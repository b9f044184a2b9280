/**
 * The terminal workspace's tabs and their split layouts, as reactive data with no api calls:
 * the store decides what to open and close, this keeps the arrangement consistent.
 */
import { computed, ref } from 'vue'
import { paneNode, panesOf, removePane, splitPane, type LayoutNode, type SplitDirection } from './layout'

export interface TerminalTab {
  tabId: string
  root: LayoutNode
  /** The pane that has (or last had) the focus: where a split happens. */
  activePaneId: string
}

let serial = 0
export const newId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(serial += 1)}`

export function useTerminalTabs() {
  const tabs = ref<TerminalTab[]>([])
  const activeTabId = ref<string | null>(null)

  const activeTab = computed(() => tabs.value.find((t) => t.tabId === activeTabId.value) ?? null)

  function tabOf(paneId: string): TerminalTab | undefined {
    return tabs.value.find((t) => panesOf(t.root).includes(paneId))
  }

  function addTab(paneId: string): void {
    const tabId = newId('tab')
    tabs.value.push({ tabId, root: paneNode(paneId), activePaneId: paneId })
    activeTabId.value = tabId
  }

  /** Puts `newPaneId` beside the active pane of the active tab; false when there is no tab. */
  function addBeside(newPaneId: string, direction: SplitDirection): boolean {
    const tab = activeTab.value
    if (!tab) return false
    tab.root = splitPane(tab.root, tab.activePaneId, newPaneId, direction)
    tab.activePaneId = newPaneId
    return true
  }

  /** Takes a pane out of its tab; a tab left empty goes, and its neighbour becomes active. */
  function removeFromTabs(paneId: string): void {
    const index = tabs.value.findIndex((t) => panesOf(t.root).includes(paneId))
    if (index < 0) return
    const tab = tabs.value[index]!
    const root = removePane(tab.root, paneId)
    if (root) {
      tab.root = root
      if (tab.activePaneId === paneId) tab.activePaneId = panesOf(root)[0]!
      return
    }
    tabs.value.splice(index, 1)
    if (activeTabId.value === tab.tabId) {
      activeTabId.value = (tabs.value[index] ?? tabs.value[index - 1])?.tabId ?? null
    }
  }

  /** Adds tabs made elsewhere (restored after a reload); `activeTabId` becomes active when given. */
  function addTabs(list: TerminalTab[], active: string | null): void {
    tabs.value.push(...list)
    if (active !== null) activeTabId.value = active
  }

  function activate(tabId: string): void {
    if (tabs.value.some((t) => t.tabId === tabId)) activeTabId.value = tabId
  }

  function focusPane(paneId: string): void {
    const tab = tabOf(paneId)
    if (tab) tab.activePaneId = paneId
  }

  return { tabs, activeTabId, activeTab, tabOf, addTab, addTabs, addBeside, removeFromTabs, activate, focusPane }
}
