/**
 * Container logs from the window, in headless Chromium against the real browser shell: add h1,
 * open a container's details and its logs, see stdout and stderr told apart, follow and see a
 * line written with `docker exec` appear, and search for a word.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { addHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const NAME = 'log-ui'
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page

beforeAll(async () => {
  await docker(h1, 'rm', '-f', NAME).catch(() => {})
  await docker(h1, 'run', '-d', '--name', NAME, '--network', 'none', lab.image, 'sh', '-c',
    'echo hello from stdout; echo oops on stderr >&2; echo goodbye from stdout; exec sleep 1000000')
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(app.url)
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await docker(h1, 'rm', '-f', NAME).catch(() => {})
})

const rows = () => page.locator('.log-row')
const texts = () => page.locator('.log-row .text').allTextContents()

describe('container logs in the window', () => {
  it('opens the logs of a container with its stdout and stderr lines marked', async () => {
    await addHostInWindow(page, { name: 'h1', address: h1.address, user: h1.user, identityFile: lab.identityFile })
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h1.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    const row = page.locator(`tr[data-container="${NAME}"]`)
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
    await row.locator('th button').click()
    await page.getByRole('button', { name: 'Logs', exact: true }).click()
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(3)
    // the engine orders the two streams by when it read them, which may swap across streams
    const stdoutRows = page.locator('.log-row.stdout')
    const stderrRow = page.locator('.log-row.stderr')
    expect(await stdoutRows.locator('.text').allTextContents()).toEqual(['hello from stdout', 'goodbye from stdout'])
    expect(await stderrRow.locator('.text').textContent()).toBe('oops on stderr')
    // the same lines on the same streams as docker logs prints them (its stdout holds only stdout)
    expect(await docker(h1, 'logs', NAME)).toBe('hello from stdout\ngoodbye from stdout')
    expect(await stdoutRows.locator('.stream-label').allTextContents()).toEqual(['stdout', 'stdout'])
    expect(await stderrRow.locator('.stream-label').textContent()).toBe('stderr')
    // told apart by colour too, not only by the label
    const colour = (l: ReturnType<typeof rows>) => l.locator('.text').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).color)
    expect(await colour(stderrRow)).not.toBe(await colour(stdoutRows.first()))
  })

  it('follows the log and shows a line the container writes later', async () => {
    // written at once: the follow starts from the page's last line, so even a line written
    // before the engine stream is open must appear
    await page.getByLabel('Follow').check()
    await docker(h1, 'exec', NAME, 'sh', '-c', 'echo a line written later > /proc/1/fd/1')
    await expect.poll(async () => (await texts()).at(-1), { timeout: 10_000 }).toBe('a line written later')
    expect((await docker(h1, 'logs', '--tail', '1', NAME)).trim()).toBe('a line written later')
  })

  it('searches for a word, highlighting it', async () => {
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('later')
    await expect.poll(() => page.locator('.log-row mark').allTextContents()).toEqual(['later'])
    expect(await page.locator('.log-search .count').textContent()).toBe('1 of 1')
    expect(await page.locator('.log-row.active .text').textContent()).toBe('a line written later')
    await page.screenshot({ path: join(screenshots, 'container-logs.png') })
  })
})
