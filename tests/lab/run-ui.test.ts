/**
 * Running a container from the window, in headless Chromium against the real browser shell:
 * add h1, open Run container… from the containers toolbar, fill the form, run, see the new
 * row running, and confirm with `docker inspect` on h1; a bad port is refused in the form.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { connectHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const NAME = 'run-ui-web'
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page

const names = async () => (await docker(h1, 'ps', '-a', '--filter', 'name=^run-ui', '--format', '{{.Names}}')).split('\n').filter(Boolean)

beforeAll(async () => {
  await docker(h1, 'rm', '-f', NAME).catch(() => {})
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

describe('run a container from the window', () => {
  it('connects h1', async () => {
    await connectHostInWindow(page, { name: 'h1', address: h1.address, user: h1.user, identityFile: lab.identityFile, hostKeyFingerprint: h1.hostKeyFingerprint })
    await expect.poll(() => page.locator('tr[data-container="web"]').count(), { timeout: 15_000 }).toBe(1)
  })

  it('refuses a bad port in the form and sends nothing', async () => {
    await page.getByRole('button', { name: 'Run container…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Run container' })
    await dialog.getByLabel('Image', { exact: true }).fill(lab.image)
    await dialog.getByLabel('Container name', { exact: true }).fill(NAME)
    await dialog.getByLabel('Published ports', { exact: true }).fill('99999:80')
    await dialog.getByRole('button', { name: 'Run', exact: true }).click()
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('host port 99999 in "99999:80" is out of range (1-65535)')
    expect(await names()).toEqual([])
  })

  it('runs lab/busybox:1 with a port and env, sees it running, and docker inspect agrees', async () => {
    const dialog = page.getByRole('dialog', { name: 'Run container' })
    await dialog.getByLabel('Published ports', { exact: true }).fill('127.0.0.1:18095:80')
    await dialog.getByLabel('Environment', { exact: true }).fill('MODE=lab ui')
    await dialog.getByLabel('Command', { exact: true }).fill('sleep 1000')
    await dialog.getByLabel('Network', { exact: true }).fill('none')
    expect(await dialog.getByLabel('Equivalent docker command').textContent()).toBe(
      `docker run -d --name ${NAME} -e 'MODE=lab ui' -p 127.0.0.1:18095:80 --network none ${lab.image} sleep 1000`,
    )
    await page.screenshot({ path: join(screenshots, 'run-form.png') })
    await dialog.getByRole('button', { name: 'Run', exact: true }).click()
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(0)
    const row = page.locator(`tr[data-container="${NAME}"]`)
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('running')
    const c = JSON.parse(await docker(h1, 'inspect', NAME))[0]
    expect(c.State.Status).toBe('running')
    expect(c.Config.Image).toBe(lab.image)
    expect(c.Config.Env).toContain('MODE=lab ui')
    expect(c.Config.Cmd).toEqual(['sleep', '1000'])
    expect(c.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18095' }] })
  })
})
