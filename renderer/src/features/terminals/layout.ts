/**
 * The panes of one terminal tab as a tree: a pane, or a split of two or more trees side by
 * side (row) or one above the other (column). Pure functions over plain data, so the store
 * keeps the tree in reactive state and the tests need no DOM.
 */

export type SplitDirection = 'row' | 'column'

export type LayoutNode =
  | { type: 'pane'; paneId: string }
  | { type: 'split'; direction: SplitDirection; children: LayoutNode[] }

export function paneNode(paneId: string): LayoutNode {
  return { type: 'pane', paneId }
}

/** Every pane of the tree, left to right and top to bottom. */
export function panesOf(node: LayoutNode): string[] {
  return node.type === 'pane' ? [node.paneId] : node.children.flatMap(panesOf)
}

/**
 * Puts `newPaneId` beside `paneId` (after it: right of it or below it). A split in the same
 * direction gains a sibling rather than nesting, so three side-by-side panes share the width.
 */
export function splitPane(root: LayoutNode, paneId: string, newPaneId: string, direction: SplitDirection): LayoutNode {
  const added = paneNode(newPaneId)
  if (root.type === 'pane') {
    return root.paneId === paneId ? { type: 'split', direction, children: [root, added] } : root
  }
  const index = root.children.findIndex((c) => c.type === 'pane' && c.paneId === paneId)
  if (index >= 0 && root.direction === direction) {
    const children = [...root.children]
    children.splice(index + 1, 0, added)
    return { ...root, children }
  }
  return { ...root, children: root.children.map((c) => splitPane(c, paneId, newPaneId, direction)) }
}

/** The tree without `paneId`; a split left with one child becomes that child; null when nothing is left. */
export function removePane(root: LayoutNode, paneId: string): LayoutNode | null {
  if (root.type === 'pane') return root.paneId === paneId ? null : root
  const children = root.children.map((c) => removePane(c, paneId)).filter((c): c is LayoutNode => c !== null)
  if (children.length === 0) return null
  if (children.length === 1) return children[0]!
  return { ...root, children }
}

/** The tree with each pane renamed by `rename`; panes it maps to null are taken out. */
export function renamePanes(root: LayoutNode, rename: (paneId: string) => string | null): LayoutNode | null {
  if (root.type === 'pane') {
    const paneId = rename(root.paneId)
    return paneId === null ? null : paneNode(paneId)
  }
  const children = root.children.map((c) => renamePanes(c, rename)).filter((c): c is LayoutNode => c !== null)
  if (children.length === 0) return null
  if (children.length === 1) return children[0]!
  return { ...root, children }
}
