/**
 * A host's link cut while the window is open: the host says it is reconnecting, which attempt
 * comes next and when, not "error" with a Connect button; Retry now reconnects at once once
 * the link is back, without waiting for the next try.
 */
import { execFileSync } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { shortHandshake } from './support/core'
import { labHost, readLab } from './support/lab'
import { connectHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h2 = labHost(lab, 'h2')
const veth = `berthlab-${h2.name}`
let app: WebApp
let browser: Browser
let page: Page

beforeAll(async () => {
  // tries against the cut link end at the short handshake limit, so the backoff grows in the test's time
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock', ...shortHandshake })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(app.url)
})
afterAll(async () => {
  execFileSync('ip', ['link', 'set', veth, 'up'])
  await browser?.close()
  await app?.stop()
})

const RECONNECTING = /^reconnecting \(attempt (\d+), (?:next try in (\d+)s|trying now)\)$/
const headerState = () => page.locator('.host-header .host-state').textContent()

describe('a host whose link is cut', () => {
  it('connects first, from the window', async () => {
    await connectHostInWindow(page, { name: 'h2', address: h2.address, user: h2.user, identityFile: lab.identityFile, hostKeyFingerprint: h2.hostKeyFingerprint })
  })

  it('says it is reconnecting, with the attempt and a countdown, and Retry now connects at once', async () => {
    execFileSync('ip', ['link', 'set', veth, 'down'])
    try {
      const sidebar = page.locator('[data-host="h2"]')
      await expect.poll(() => sidebar.getAttribute('data-state'), { timeout: 20_000 }).toBe('reconnecting')
      expect(await headerState()).toMatch(RECONNECTING)
      expect(await sidebar.locator('.host-state').textContent()).toMatch(RECONNECTING)
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Berth is reconnecting' }).count()).toBe(1)
      // no error shouted, no Connect: Berth is on it, and the user may try at once or stop
      expect(await page.getByRole('alert').count()).toBe(0)
      const header = page.locator('.host-header')
      expect(await header.getByRole('button', { name: 'Connect', exact: true }).count()).toBe(0)
      expect(await header.getByRole('button', { name: 'Disconnect' }).count()).toBe(1)

      // tries fail while the link is down; each waits longer: wait for one 8 s or more away
      let waitSeconds = 0
      await expect
        .poll(
          async () => {
            const [, , seconds] = RECONNECTING.exec((await headerState()) ?? '') ?? []
            waitSeconds = Number(seconds ?? 0)
            return waitSeconds
          },
          { timeout: 60_000, interval: 200 },
        )
        .toBeGreaterThanOrEqual(7)
      const attempt = Number(RECONNECTING.exec((await headerState()) ?? '')![1])
      expect(attempt).toBeGreaterThanOrEqual(3)
    } finally {
      execFileSync('ip', ['link', 'set', veth, 'up'])
    }
    const retriedAt = Date.now()
    await page.locator('.host-header').getByRole('button', { name: 'Retry now' }).click()
    await expect.poll(() => page.locator('[data-host="h2"]').getAttribute('data-state'), { timeout: 6_000, interval: 100 }).toBe('connected')
    process.stdout.write(`connected ${Date.now() - retriedAt} ms after Retry now\n`)
    expect(await headerState()).toBe('connected')
  }, 120_000)
})
