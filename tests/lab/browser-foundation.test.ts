/**
 * The first path a user takes, in the real renderer in headless Chromium against the real
 * browser shell: add a lab host, accept its key, see its containers, stop one from the
 * window, watch the window follow a `docker stop` typed on the host, and meet a changed key.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { containerStatus, docker, labHost, readLab } from './support/lab'
import { addHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page

beforeAll(async () => {
  // the seeded states this file starts from (another run may have changed them)
  await docker(h1, 'start', 'web', 'worker')
  await docker(h1, 'rm', '-f', 'fresh')
  await docker(h1, 'create', '--name', 'fresh', '--network', 'none', lab.image, 'sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait')
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(app.url)
})
afterAll(async () => {
  // the seeded state other files start from: this file stops web from the window
  await docker(h1, 'start', 'web').catch(() => {})
  await browser?.close()
  await app?.stop()
})

async function addHost(name: string, address: string, user: string): Promise<void> {
  await addHostInWindow(page, { name, address, user, identityFile: lab.identityFile })
}

const row = (name: string) => page.locator(`tr[data-container="${name}"]`)
const badge = (name: string) => row(name).locator('.badge[data-state]')

describe('the browser shell', () => {
  it('refuses requests and WebSockets that do not carry a session, and lets each address log in once', async () => {
    const bare = await fetch(`${app.origin}/`)
    expect(bare.status).toBe(401)
    // the page already spent the printed address: it opens nothing a second time
    expect((await fetch(app.url, { redirect: 'manual' })).status).toBe(401)
    const fresh = await app.loginUrl()
    const withToken = await fetch(fresh, { redirect: 'manual' })
    expect(withToken.status).toBe(302)
    const cookie = withToken.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/)
    expect(cookie).toMatch(new RegExp(`^berth_session_${new URL(app.url).port}=`))
    expect(cookie).not.toContain(new URL(fresh).searchParams.get('token'))
    // neither the token nor the session id is written where a log would keep it
    expect(app.output()).not.toContain(cookie.split(';')[0]!.split('=')[1])
    const other = await browser.newPage()
    await other.goto(`${app.origin}/`)
    expect(await other.textContent('body')).toContain('access token')
    const wsRefused = await other.evaluate(
      (origin) =>
        new Promise<boolean>((resolve) => {
          const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`)
          ws.onopen = () => resolve(false)
          ws.onerror = () => resolve(true)
        }),
      app.origin,
    )
    expect(wsRefused).toBe(true)
    await other.close()
  })
})

describe('a remote host, from the window', () => {
  it('shows an unknown host key with its fingerprint, and connects once trusted', async () => {
    await addHost('h1', h1.address, h1.user)
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h1.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    const item = page.locator('[data-host="h1"]')
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    expect(await item.textContent()).toContain('amd64')
  })

  it('lists the host\'s containers with a badge per state', async () => {
    await expect.poll(() => badge('web').getAttribute('data-state'), { timeout: 10_000 }).toBe('running')
    expect(await badge('job').textContent()).toContain('exited (3)')
    expect(await badge('fresh').getAttribute('data-state')).toBe('created')
    expect(await badge('frozen').getAttribute('data-state')).toBe('paused')
    // each row offers its state's next step: Stop for a running one, Start for an exited one
    expect(await page.getByRole('button', { name: 'Start web' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Stop job' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Start job' }).isEnabled()).toBe(true)
    await page.screenshot({ path: join(screenshots, 'containers.png') })
  })

  it('stops a container from the window, as the docker CLI on the host confirms', async () => {
    await page.getByRole('button', { name: 'Stop web' }).click()
    await expect.poll(() => badge('web').getAttribute('data-state'), { timeout: 20_000 }).toBe('exited')
    expect(await containerStatus(h1, 'web')).toBe('exited')
    await page.getByRole('button', { name: 'Start fresh' }).click()
    await expect.poll(() => badge('fresh').getAttribute('data-state'), { timeout: 10_000 }).toBe('running')
    expect(await containerStatus(h1, 'fresh')).toBe('running')
  })

  it('follows a docker stop typed on the host, with no refresh', async () => {
    expect(await badge('worker').getAttribute('data-state')).toBe('running')
    await docker(h1, 'stop', 'worker')
    const stoppedAt = Date.now()
    await expect.poll(() => badge('worker').getAttribute('data-state'), { timeout: 5_000 }).toBe('exited')
    process.stdout.write(`window followed docker stop in ${Date.now() - stoppedAt} ms\n`)
  })

  it('refuses a host whose key changed, and says why', async () => {
    const knownHosts = join(app.home, '.ssh/known_hosts')
    const other = join(app.home, 'old_host_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const oldKey = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
    writeFileSync(knownHosts, `${h2.address} ${oldKey}\n`)
    await addHost('h2', h2.address, h2.user)
    const alert = page.getByRole('alert').filter({ hasText: 'HOST_KEY_CHANGED' })
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain(h2.hostKeyFingerprint)
    const text = (await alert.textContent()) ?? ''
    expect(text).toContain(knownHosts)
    expect(await page.locator('[data-host="h2"]').getAttribute('data-state')).toBe('error')
    await page.screenshot({ path: join(screenshots, 'host-key-changed.png') })
  })
})
