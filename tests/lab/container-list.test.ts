/**
 * The containers table in the real renderer (headless Chromium, real browser shell) against
 * lab host h1: pause, remove and rename from the window, each checked with the docker CLI on
 * the host, a refused removal explained in its row, the state filter and the details panel.
 * Every container here is this file's own (ui-*); the seeded ones are left alone.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { containerStatus, docker, labHost, readLab } from './support/lab'
import { addHostInWindow, chooseInRowMenu } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const screenshots = join(import.meta.dirname, '../../out/screenshots')
const quickStop = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait']

let app: WebApp
let browser: Browser
let page: Page

async function cleanup(): Promise<void> {
  const leftovers = (await docker(h1, 'ps', '-aq', '--filter', 'name=^ui-')).split('\n').filter(Boolean)
  if (leftovers.length) await docker(h1, 'rm', '-f', '-v', ...leftovers)
}

beforeAll(async () => {
  await cleanup()
  for (const name of ['ui-pausable', 'ui-doomed', 'ui-kept', 'ui-renamed', 'ui-bulk-1', 'ui-bulk-2']) {
    await docker(h1, 'run', '-d', '--name', name, '--network', 'none', lab.image, ...quickStop)
  }
  await docker(h1, 'run', '--name', 'ui-exited', '--network', 'none', lab.image, 'sh', '-c', 'exit 2').catch(() => {})
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.goto(app.url)
  await addHostInWindow(page, { name: 'h1', address: h1.address, user: h1.user, identityFile: lab.identityFile })
  await page.getByRole('alertdialog').getByRole('button', { name: 'Trust and connect' }).click({ timeout: 20_000 })
  // expect.poll only works inside a test: wait for the row the plain way
  await badge('ui-pausable').waitFor({ timeout: 30_000 })
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await cleanup()
})

const row = (name: string) => page.locator(`tr[data-container="${name}"]`)
const badge = (name: string) => row(name).locator('.badge[data-state]')
const button = (name: string) => page.getByRole('button', { name, exact: true })

describe('container actions from the window', () => {
  it('names each action "<Action> <name>", so a lookup by "Start x" or "Stop x" finds exactly one button', async () => {
    // not exact: accessible-name lookups match substrings, as the browser-foundation test's do
    expect(await page.getByRole('button', { name: 'Start ui-exited' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Stop ui-pausable' }).count()).toBe(1)
    await page.getByRole('button', { name: 'Actions for ui-exited', exact: true }).click()
    expect(await page.getByRole('menuitem', { name: 'Restart container ui-exited' }).getAttribute('title')).toBe('docker restart ui-exited')
    expect(await page.getByRole('menuitem', { name: 'Start ui-exited' }).count()).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('menu').count()).toBe(0)
  })

  it('keeps every row one line with its actions in view on a 1280-pixel window', async () => {
    await page.setViewportSize({ width: 1280, height: 800 })
    try {
      const box = (await page.locator('.table-wrap').boundingBox())!
      for (const name of ['ui-pausable', 'ui-exited']) {
        const menuButton = (await button(`Actions for ${name}`).boundingBox())!
        expect(menuButton.x + menuButton.width).toBeLessThanOrEqual(box.x + box.width)
        expect((await row(name).boundingBox())!.height).toBeLessThan(50)
      }
      // nothing to scroll sideways for
      expect(await page.locator('.table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 })
    }
  })

  it('pauses from the row\'s menu with the keyboard alone and unpauses, as docker on the host confirms', async () => {
    await button('Actions for ui-pausable').focus()
    await page.keyboard.press('Enter')
    const pause = page.getByRole('menuitem', { name: 'Pause ui-pausable', exact: true })
    expect(await pause.getAttribute('title')).toBe('docker pause ui-pausable')
    await page.keyboard.type('Pa') // type-ahead to the item, as in any menu
    await expect.poll(() => pause.evaluate((el) => el.matches(':focus'))).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => badge('ui-pausable').getAttribute('data-state'), { timeout: 10_000 }).toBe('paused')
    expect(await containerStatus(h1, 'ui-pausable')).toBe('paused')
    await button('Unpause ui-pausable').click()
    await expect.poll(() => badge('ui-pausable').getAttribute('data-state'), { timeout: 10_000 }).toBe('running')
    expect(await containerStatus(h1, 'ui-pausable')).toBe('running')
  })

  it('says in the row why a running container cannot be removed without force', async () => {
    await chooseInRowMenu(page, 'ui-kept', 'Remove ui-kept')
    const dialog = page.getByRole('dialog', { name: 'Remove container ui-kept?' })
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click()
    await expect.poll(() => row('ui-kept').getByRole('alert').textContent(), { timeout: 10_000 }).toContain(
      'container ui-kept is running: stop it first, or remove it with force',
    )
    expect(await containerStatus(h1, 'ui-kept')).toBe('running')
  })

  it('removes a running container with force, and its row goes', async () => {
    await chooseInRowMenu(page, 'ui-doomed', 'Remove ui-doomed')
    const dialog = page.getByRole('dialog', { name: 'Remove container ui-doomed?' })
    await dialog.getByLabel('Force: kill it first if it is running (-f)').check()
    expect(await dialog.locator('code').textContent()).toBe('docker rm -f ui-doomed')
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click()
    await expect.poll(() => row('ui-doomed').count(), { timeout: 10_000 }).toBe(0)
    expect(await docker(h1, 'ps', '-aq', '--filter', 'name=^ui-doomed$')).toBe('')
  })

  it('renames a container inline', async () => {
    await chooseInRowMenu(page, 'ui-renamed', 'Rename ui-renamed')
    await page.getByLabel('New name for ui-renamed').fill('ui-renamed-2')
    await page.getByLabel('New name for ui-renamed').press('Enter')
    await expect.poll(() => row('ui-renamed-2').count(), { timeout: 10_000 }).toBe(1)
    expect(await row('ui-renamed').count()).toBe(0)
    expect(await docker(h1, 'inspect', '-f', '{{.State.Status}}', 'ui-renamed-2')).toBe('running')
  })

  it('stops several containers at once from the selection bar', async () => {
    await page.getByLabel('Select ui-bulk-1').check()
    await page.getByLabel('Select ui-bulk-2').check()
    const bar = page.getByRole('toolbar', { name: '2 containers selected' })
    await bar.getByRole('button', { name: 'Stop (2)', exact: true }).click()
    for (const name of ['ui-bulk-1', 'ui-bulk-2']) {
      await expect.poll(() => badge(name).getAttribute('data-state'), { timeout: 20_000 }).toBe('exited')
      expect(await docker(h1, 'inspect', '-f', '{{.State.Status}}', name)).toBe('exited')
    }
    expect(await bar.getByRole('button', { name: 'Start (2)', exact: true }).isEnabled()).toBe(true)
  })
})

describe('finding containers', () => {
  it('hides exited containers when the state filter says running', async () => {
    expect(await badge('ui-exited').textContent()).toContain('exited (2)')
    await page.getByLabel('Filter by state').selectOption('running')
    await expect.poll(() => row('ui-exited').count()).toBe(0)
    expect(await row('ui-pausable').count()).toBe(1)
    const states = await page.locator('tr[data-container] .badge[data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))
    expect(new Set(states)).toEqual(new Set(['running']))
    await page.getByLabel('Filter by state').selectOption('all')
    await expect.poll(() => row('ui-exited').count()).toBe(1)
  })

  it('finds containers by name with the search box', async () => {
    await page.getByRole('searchbox').fill('ui-')
    const names = await page.locator('tr[data-container]').evaluateAll((els) => els.map((e) => e.getAttribute('data-container')))
    expect(names.sort()).toEqual(['ui-bulk-1', 'ui-bulk-2', 'ui-exited', 'ui-kept', 'ui-pausable', 'ui-renamed-2'])
    await page.getByRole('searchbox').fill('')
  })

  it('opens the details of a container from its name, with its exit code', async () => {
    await row('ui-exited').getByRole('button', { name: 'ui-exited', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Details of ui-exited' })
    await expect.poll(() => panel.locator('[data-field="state"]').textContent(), { timeout: 10_000 }).toBe('exited (exit code 2)')
    expect(await panel.textContent()).toContain('no, restarted 0 times')
    await panel.getByText('Raw JSON (docker inspect ui-exited)').click()
    const raw = JSON.parse((await panel.locator('pre').textContent()) ?? '{}') as { Id?: string }
    expect(raw.Id).toBe(await docker(h1, 'inspect', '-f', '{{.Id}}', 'ui-exited'))
    await page.screenshot({ path: join(screenshots, 'container-details.png') })
  })
})
