/**
 * Images from the window, in headless Chromium against the real browser shell: add h2, open
 * its Images tab, pull the lab registry's busybox with the Pull dialog, watch its progress and
 * digest, and find it in the list; the docker CLI on h2 confirms each step.
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
const registryImage = `${lab.registry}/${lab.image}`
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page
let hadRegistryTag = false

beforeAll(async () => {
  hadRegistryTag = (await docker(h2, 'images', '-q', registryImage)) !== ''
  // only the registry-prefixed tag goes: lab/busybox:1 stays for everyone else
  if (hadRegistryTag) await docker(h2, 'rmi', registryImage)
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(app.url)
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  const present = (await docker(h2, 'images', '-q', registryImage)) !== ''
  if (present && !hadRegistryTag) await docker(h2, 'rmi', registryImage)
  if (!present && hadRegistryTag) await docker(h2, 'pull', registryImage)
})

async function addHost(name: string, address: string, user: string): Promise<void> {
  await addHostInWindow(page, { name, address, user, identityFile: lab.identityFile })
}

describe('images in the window', () => {
  it('connects h2 and lists its images in the Images tab', async () => {
    await addHost('h2', h2.address, h2.user)
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h2.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    await expect.poll(() => page.locator('[data-host="h2"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    await page.getByRole('tab', { name: 'Images' }).click()
    const base = page.locator(`tr[data-image="${lab.image}"]`)
    await expect.poll(() => base.count(), { timeout: 15_000 }).toBe(1)
    const shortId = (await docker(h2, 'images', '--format', '{{.ID}}', lab.image)).trim()
    expect(await base.locator('td').nth(2).textContent()).toContain(shortId)
    expect(await page.locator(`tr[data-image="${registryImage}"]`).count()).toBe(0)
  })

  it('validates the reference in the Pull dialog before sending anything', async () => {
    await page.getByRole('button', { name: 'Pull image…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Pull image' })
    await dialog.getByLabel('Image reference').fill('Lab/BusyBox')
    await expect.poll(() => dialog.locator('p.message').textContent()).toContain('repository names must be lowercase')
    expect(await dialog.getByRole('button', { name: 'Pull', exact: true }).isDisabled()).toBe(true)
    await dialog.getByLabel('Image reference').fill('busybox')
    await expect.poll(() => dialog.locator('p.message').textContent()).toContain('"latest" is just a tag name')
    expect(await dialog.getByLabel('Platform').inputValue()).toBe('linux/amd64')
  })

  it('pulls from the lab registry, showing progress and then the digest the engine recorded', async () => {
    const dialog = page.getByRole('dialog', { name: 'Pull image' })
    await dialog.getByLabel('Image reference').fill(registryImage)
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click()
    await expect.poll(() => dialog.locator('[data-pull]').count(), { timeout: 5_000 }).toBe(1)
    const digest = dialog.locator('[data-result="digest"]')
    await expect.poll(() => digest.count(), { timeout: 60_000 }).toBe(1)
    const cliDigest = await docker(h2, 'image', 'inspect', '-f', '{{index .RepoDigests 0}}', registryImage)
    expect(await digest.textContent()).toBe(cliDigest)
    expect(await dialog.locator('[data-result="id"]').textContent()).toBe(
      await docker(h2, 'image', 'inspect', '-f', '{{.Id}}', registryImage),
    )
    // every layer the engine reported, each finished (downloaded or reused)
    const layers = await dialog.locator('li[data-layer]').allTextContents()
    expect(layers.length).toBeGreaterThan(0)
    for (const layer of layers) expect(layer).toMatch(/Pull complete|Already exists \(reused\)/)
    expect(await dialog.getByRole('progressbar', { name: 'Total progress' }).getAttribute('value')).toBe('100')
    await page.screenshot({ path: join(screenshots, 'image-pull.png') })
  })

  it('lists the pulled image with its digest once the dialog closes', async () => {
    await page.getByRole('dialog', { name: 'Pull image' }).getByRole('button', { name: 'Close' }).click()
    const pulled = page.locator(`tr[data-image="${registryImage}"]`)
    await expect.poll(() => pulled.count(), { timeout: 10_000 }).toBe(1)
    const cliDigest = await docker(h2, 'image', 'inspect', '-f', '{{index .RepoDigests 0}}', registryImage)
    expect(await pulled.locator('td').nth(3).getAttribute('title')).toBe(cliDigest)
    expect(await pulled.locator('td').nth(6).textContent()).toBe('linux/amd64')
    await page.screenshot({ path: join(screenshots, 'images.png') })
  })
})
