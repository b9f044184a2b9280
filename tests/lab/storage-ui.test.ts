/**
 * Networks, volumes and disk from the real window (headless Chromium on the browser shell)
 * against h2: create a network and a volume, see them listed, check them with the docker
 * CLI, meet the refusal to remove a network in use, and prune only what the dialog listed.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { addHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h2 = labHost(lab, 'h2')
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page

async function cleanUp(): Promise<void> {
  await docker(h2, 'rm', '-f', 'n-ui-c').catch(() => {})
  await docker(h2, 'network', 'rm', 'n-ui').catch(() => {})
  await docker(h2, 'volume', 'rm', '-f', 'v-ui', 'v-ui-spare').catch(() => {})
}

beforeAll(async () => {
  await cleanUp()
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(app.url)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await cleanUp()
})

const networkNames = async () => (await docker(h2, 'network', 'ls', '--format', '{{.Name}}')).split('\n')
const volumeNames = async () => (await docker(h2, 'volume', 'ls', '-q')).split('\n')
const tab = (name: string) => page.getByRole('tab', { name })

describe('storage from the window', () => {
  it('connects h2 through the Add host form', async () => {
    await addHostInWindow(page, { name: 'h2', address: h2.address, user: h2.user, identityFile: lab.identityFile })
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h2.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    await expect.poll(() => page.locator('[data-host="h2"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
  })

  it('creates a network from the window, after naming a bad subnet', async () => {
    await tab('Networks').click()
    await page.getByRole('button', { name: 'Create network' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create network' })
    await dialog.getByLabel('Network name').fill('n-ui')
    await dialog.getByLabel('Subnet').fill('10.241.0.5/24')
    await dialog.getByRole('button', { name: 'Create' }).click()
    expect(await dialog.locator('[data-error-for="subnet"]').textContent()).toContain('has host bits set: the subnet is 10.241.0.0/24')
    expect(await networkNames()).not.toContain('n-ui')
    await dialog.getByLabel('Subnet').fill('10.241.0.0/24')
    await dialog.getByLabel('Gateway').fill('10.241.0.1')
    await dialog.getByRole('button', { name: 'Create' }).click()
    const row = page.locator('tr[data-network="n-ui"]')
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1)
    expect(await row.textContent()).toContain('10.241.0.0/24')
    const cli = JSON.parse(await docker(h2, 'network', 'inspect', 'n-ui'))[0]
    expect(cli.IPAM.Config).toEqual([{ Subnet: '10.241.0.0/24', Gateway: '10.241.0.1' }])
  })

  it('refuses to remove the network while a container uses it, naming the container', async () => {
    await docker(h2, 'run', '-d', '--name', 'n-ui-c', '--network', 'n-ui', lab.image, 'sleep', '100000')
    await page.getByRole('button', { name: 'Refresh' }).click()
    const row = page.locator('tr[data-network="n-ui"]')
    await expect.poll(() => row.locator('[data-col="containers"]').textContent(), { timeout: 10_000 }).toMatch(/n-ui-c 10\.241\.0\.\d+/)
    await page.getByRole('button', { name: 'Remove network n-ui' }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove network n-ui?' })
    await dialog.getByRole('button', { name: 'Remove' }).click()
    const alert = dialog.getByRole('alert')
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('in use by container n-ui-c')
    await page.screenshot({ path: join(screenshots, 'network-in-use.png') })
    expect(await networkNames()).toContain('n-ui')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  it('creates a volume from the window and lists it', async () => {
    await tab('Volumes').click()
    await page.getByRole('button', { name: 'Create volume' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create volume' })
    await dialog.getByLabel('Volume name').fill('v-ui')
    await dialog.getByLabel('Labels').fill('made-by=storage-ui')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect.poll(() => page.locator('tr[data-volume="v-ui"]').count(), { timeout: 10_000 }).toBe(1)
    expect(await volumeNames()).toContain('v-ui')
    expect(await docker(h2, 'volume', 'inspect', '-f', '{{json .Labels}}', 'v-ui')).toBe('{"made-by":"storage-ui"}')
  })

  it('lists unused volumes before pruning and removes only the ticked one', async () => {
    await docker(h2, 'volume', 'create', 'v-ui-spare')
    await page.getByRole('button', { name: 'Prune unused…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Prune unused volumes' })
    const items = dialog.locator('[data-prune-item]')
    await expect.poll(() => dialog.locator('[data-prune-item="v-ui-spare"]').count(), { timeout: 10_000 }).toBe(1)
    const listed = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-prune-item')))
    const dangling = (await docker(h2, 'volume', 'ls', '-q', '-f', 'dangling=true')).split('\n').sort()
    expect([...listed].sort()).toEqual(dangling)
    // keep every volume but v-ui-spare (others may belong to other tests)
    for (const name of listed) if (name !== 'v-ui-spare') await dialog.locator(`[data-prune-item="${name}"] input`).uncheck()
    await dialog.getByRole('button', { name: /^Remove 1 / }).click()
    await expect.poll(() => dialog.locator('[data-prune-result]').textContent(), { timeout: 10_000 }).toContain('Removed 1')
    const left = await volumeNames()
    expect(left).not.toContain('v-ui-spare')
    expect(left).toContain('v-ui')
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  it('shows the figures docker system df shows', async () => {
    await tab('Disk').click()
    const cli = (await docker(h2, 'system', 'df', '--format', '{{json .}}')).split('\n').map((l) => JSON.parse(l) as Record<string, string>)
    const images = cli.find((r) => r.Type === 'Images')!
    const row = page.locator('tr[data-disk="images"]')
    await expect.poll(() => row.locator('[data-col="size"]').textContent(), { timeout: 20_000 }).toBe(images.Size)
    expect(await row.locator('[data-col="reclaimable"]').textContent()).toBe(images.Reclaimable)
    await page.screenshot({ path: join(screenshots, 'disk.png') })
  })
})
