/** What a user does in the window again and again, written once for the browser tests. */
import type { Page } from 'playwright-core'

export interface HostFields {
  name: string
  address: string
  user: string
  identityFile: string
}

/** Opens Add host from the sidebar, fills the form in its dialog and adds the host. */
export async function addHostInWindow(page: Page, host: HostFields): Promise<void> {
  await page.getByRole('navigation', { name: 'Hosts' }).getByRole('button', { name: 'Add host' }).click()
  // within the dialog: the page behind it has other fields named like these (search, rename)
  const dialog = page.getByRole('dialog', { name: 'Add host' })
  await dialog.getByLabel('Name', { exact: true }).fill(host.name)
  await dialog.getByLabel('Address').fill(host.address)
  await dialog.getByLabel('Port').fill('22')
  await dialog.getByLabel('User').fill(host.user)
  await dialog.getByLabel('Identity file').fill(host.identityFile)
  await dialog.getByRole('button', { name: 'Add', exact: true }).click()
}
