/** A container row's action menu as a user reaches it: its "⋯" button, then an item by name. */
import { flushPromises, type VueWrapper } from '@vue/test-utils'

export async function openRowMenu(w: VueWrapper, container: string): Promise<HTMLElement> {
  await w.get(`button[aria-label="Actions for ${container}"]`).trigger('click')
  await flushPromises()
  const menu = document.querySelector<HTMLElement>('[role="menu"]')
  if (!menu) throw new Error(`the menu of ${container} did not open`)
  return menu
}

/** An item of the open menu (menus live outside the row, at the end of the page). */
export function menuItem(name: string): HTMLElement {
  const item = document.querySelector<HTMLElement>(`[role="menuitem"][aria-label="${name}"]`)
  if (!item) throw new Error(`no menu item "${name}"`)
  return item
}

export const disabled = (item: HTMLElement) => item.getAttribute('aria-disabled') === 'true'

/** Opens the row's menu and picks `item`, as a click does. */
export async function choose(w: VueWrapper, container: string, item: string): Promise<void> {
  await openRowMenu(w, container)
  menuItem(item).click()
  await flushPromises()
}
