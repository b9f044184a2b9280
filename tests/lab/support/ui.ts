/** What a user does in the window again and again, written once for the browser tests. */
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export interface HostFields {
  name: string
  address: string
  user: string
  identityFile: string
  /** 22 unless given. */
  port?: number
}

/** Opens Add host from the sidebar, fills the form in its dialog and adds the host. */
export async function addHostInWindow(page: Page, host: HostFields): Promise<void> {
  await page.getByRole('navigation', { name: 'Hosts' }).getByRole('button', { name: 'Add host' }).click()
  // within the dialog: the page behind it has other fields named like these (search, rename)
  const dialog = page.getByRole('dialog', { name: 'Add host' })
  await dialog.getByLabel('Name', { exact: true }).fill(host.name)
  await dialog.getByLabel('Address').fill(host.address)
  await dialog.getByLabel('Port').fill(String(host.port ?? 22))
  await dialog.getByLabel('User').fill(host.user)
  await dialog.getByLabel('Identity file').fill(host.identityFile)
  await dialog.getByRole('button', { name: 'Add', exact: true }).click()
}

/** Adds a lab host in the window, trusts its key (checked against the lab's record) and waits until it is connected. */
export async function connectHostInWindow(page: Page, host: HostFields & { hostKeyFingerprint: string }): Promise<void> {
  await addHostInWindow(page, host)
  const prompt = page.getByRole('alertdialog')
  await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(host.hostKeyFingerprint)
  await prompt.getByRole('button', { name: 'Trust and connect' }).click()
  await expect.poll(() => page.locator(`[data-host="${host.name}"]`).getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
}

/** Picks an item of a container row's "⋯" menu as a user does: open the menu, click the item. */
export async function chooseInRowMenu(page: Page, container: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${container}`, exact: true }).click()
  await page.getByRole('menu').getByRole('menuitem', { name: item, exact: true }).click()
}
