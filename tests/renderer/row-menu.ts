/** A container row's action menu as a user reaches it: its "⋯" button, then an item by name. */
import { flushPromises, type VueWrapper } from '@vue/test-utils'

/** The menu last opened: menus live outside their row (a portal at the end of the page). */
let current: HTMLElement | undefined

export async function openRowMenu(w: VueWrapper, container: string): Promise<HTMLElement> {
  await w.get(`button[aria-label="Actions for ${container}"]`).trigger('click')
  await flushPromises()
  // the menu is labelled by its button: a page may hold menus of other, older tables
  const id = w.get(`button[aria-label="Actions for ${container}"]`).attributes('id')
  const menu = document.querySelector<HTMLElement>(`[role="menu"][aria-labelledby="${id}"]`)
  if (!menu) throw new Error(`the menu of ${container} did not open`)
  current = menu
  return menu
}

/** An item of the open menu, or of a submenu it opened (labelled by the item that opened it). */
export function menuItem(name: string): HTMLElement {
  const selector = `[role="menuitem"][aria-label="${name}"]`
  const subs = [...(current?.querySelectorAll('[aria-haspopup="menu"]') ?? [])].map((t) => document.querySelector(`[role="menu"][aria-labelledby="${t.id}"]`))
  for (const menu of [current, ...subs]) {
    const item = menu?.querySelector<HTMLElement>(selector)
    if (item) return item
  }
  throw new Error(`no menu item "${name}"`)
}

export const disabled = (item: HTMLElement) => item.getAttribute('aria-disabled') === 'true'

/** Opens the row's menu and picks `item`, as a click does. */
export async function choose(w: VueWrapper, container: string, item: string): Promise<void> {
  await openRowMenu(w, container)
  menuItem(item).click()
  await flushPromises()
}
