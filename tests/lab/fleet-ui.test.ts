/**
 * Several hosts in one window: every container of every connected host in "All hosts",
 * Ctrl+K to jump to a host by name, and each host keeping its own view.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { addHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
let app: WebApp
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(app.url)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('a fleet of hosts', () => {
  it('connects two hosts from the window', async () => {
    for (const name of ['h1', 'h2']) {
      const host = labHost(lab, name)
      await addHostInWindow(page, { name, address: host.address, user: host.user, identityFile: lab.identityFile })
      await page.getByRole('alertdialog').getByRole('button', { name: 'Trust and connect' }).click({ timeout: 20_000 })
      await expect.poll(() => page.locator(`[data-host="${name}"]`).getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    }
  })

  it('lists every container of every connected host in All hosts', async () => {
    await page.getByRole('button', { name: 'All hosts' }).click()
    for (const name of ['h1', 'h2']) {
      const cli = (await docker(labHost(lab, name), 'ps', '-a', '--format', '{{.Names}}')).split('\n')
      await expect.poll(() => page.locator(`tr[data-container^="${name}/"]`).count(), { timeout: 10_000 }).toBe(cli.length)
      expect(await page.locator(`tr[data-container="${name}/job"] .badge[data-state]`).textContent()).toContain('exited (3)')
    }
  })

  it('jumps to a host with Ctrl+K, and each host keeps its own tab', async () => {
    await page.keyboard.press('Control+k')
    await page.getByRole('combobox', { name: 'Go to host' }).fill('h2')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('h1.name').textContent()).toBe('h2')
    await page.getByRole('tab', { name: 'Images' }).click()
    await page.keyboard.press('Control+1')
    await expect.poll(() => page.locator('h1.name').textContent()).toBe('h1')
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain('Containers')
    await page.keyboard.press('Control+2')
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toContain('Images')
  })
})
