/**
 * Terminals on two hosts at once, in headless Chromium against the real browser shell and
 * agents: a host shell on h1 and one on h2 in their own tabs, each its own user; a split with
 * an exec shell beside h1's; the bell rung in a tab out of sight marks that tab until it is
 * looked at; a URL printed by a program is a link that opens when clicked.
 * The screen is read from xterm's rows in the DOM, as a user sees it.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { connectHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')

let app: WebApp
let browser: Browser
let context: BrowserContext
let page: Page

async function lines(pane: Locator): Promise<string[]> {
  const rows = await pane.locator('.xterm-rows > div').allTextContents()
  return rows.map((r) => r.replace(/\u00a0/g, ' ').trimEnd())
}

async function typeIn(pane: Locator, text: string): Promise<void> {
  await pane.locator('.xterm-screen').click()
  await page.keyboard.type(text)
}

async function seeLine(pane: Locator, text: string, timeout = 10_000): Promise<void> {
  await expect.poll(async () => (await lines(pane)).includes(text), { timeout }).toBe(true)
}

const tabs = () => page.getByRole('tablist', { name: 'Terminals' })
const tabNamed = (text: string) => tabs().getByRole('tab').filter({ hasText: text })
/** The visible tab's panes (every tab stays mounted; only the active one shows). */
const visiblePane = (nth = 0) => page.locator('[role="tabpanel"]:visible section[data-kind]').nth(nth)

async function openHostShell(name: string): Promise<Locator> {
  await page.locator(`[data-host="${name}"]`).click()
  await page.getByRole('button', { name: `Shell on ${name}`, exact: true }).click()
  const shell = visiblePane()
  await expect.poll(() => shell.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
  return shell
}

beforeAll(async () => {
  await docker(h1, 'start', 'web')
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  page = await context.newPage()
  await page.goto(app.url)
})

afterAll(async () => {
  if (page) {
    for (let i = 0; i < 10 && (await page.getByRole('button', { name: /^Close tab / }).count()) > 0; i++) {
      await page.getByRole('button', { name: /^Close tab / }).first().click().catch(() => {})
    }
    // the closes go out as calls over the page's socket: give them time to arrive
    await page.waitForTimeout(1000)
  }
  await browser?.close()
  await app?.stop()
})

describe('terminals on several hosts', () => {
  it('connects h1 and h2', async () => {
    await connectHostInWindow(page, { ...h1, identityFile: lab.identityFile })
    await connectHostInWindow(page, { ...h2, identityFile: lab.identityFile })
  })

  it('opens a host shell on each in its own tab, each running as its own host user', async () => {
    const one = await openHostShell('h1')
    await typeIn(one, 'echo "me=$(whoami)"\n')
    await seeLine(one, `me=${h1.user}`)
    const two = await openHostShell('h2')
    await typeIn(two, 'echo "me=$(whoami)"\n')
    await seeLine(two, `me=${h2.user}`)
    expect(await tabs().getByRole('tab').count()).toBe(2)
    // back on h1's tab, its shell is where it was
    await tabNamed('h1').click()
    await typeIn(visiblePane(), 'echo back-$((40+2))\n')
    await seeLine(visiblePane(), 'back-42')
  })

  it("splits h1's tab: a second shell beside the first, each typing on its own", async () => {
    await page.getByRole('button', { name: 'Split side by side' }).click()
    const left = visiblePane(0)
    const right = visiblePane(1)
    await expect.poll(() => right.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    const [a, b] = [await left.boundingBox(), await right.boundingBox()]
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width - 2)
    await typeIn(right, 'echo right-$((1+1))\n')
    await seeLine(right, 'right-2')
    expect(await lines(left)).not.toContain('right-2')
  })

  it('marks a tab out of sight whose program rang the bell, until it is looked at', async () => {
    await tabNamed('h2').click()
    await typeIn(visiblePane(), "sleep 2; printf 'rang\\a\\n'\n")
    await tabNamed('h1').click()
    const mark = tabNamed('h2').getByLabel('bell rang')
    await expect.poll(() => mark.count(), { timeout: 10_000 }).toBe(1)
    expect(await tabNamed('h1').getByLabel('bell rang').count()).toBe(0)
    await tabNamed('h2').click()
    await expect.poll(() => mark.count()).toBe(0)
    await seeLine(visiblePane(), 'rang')
  })

  it('opens a URL the program printed when it is clicked', async () => {
    const url = `http://${lab.registry}/v2/berth-link-check`
    const shell = visiblePane()
    await typeIn(shell, `clear; echo '${url}'\n`)
    await seeLine(shell, url)
    const rows = shell.locator('.xterm-rows > div')
    const index = (await lines(shell)).indexOf(url)
    const box = (await rows.nth(index).boundingBox())!
    // the links addon underlines on hover and opens on click, as a user would do it
    const x = box.x + 40
    const y = box.y + box.height / 2
    await page.mouse.move(x, y)
    const opened = context.waitForEvent('page', { timeout: 10_000 })
    await page.mouse.move(x + 5, y)
    await page.mouse.click(x + 5, y)
    const popup = await opened
    await expect.poll(() => popup.url()).toBe(url)
    await popup.close()
  })
})
