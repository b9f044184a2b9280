/**
 * The registry explorer and image actions in the window, in headless Chromium against the real
 * browser shell and h2: read the two-architecture tag seed-multiarch.sh put in the lab registry,
 * then tag and untag an image; curl, `docker manifest inspect` and the docker CLI on h2 confirm.
 * Objects made here start with reg-: the registry tag reg/multi:1 and the local tag reg-ui/tagged:1.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { addHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const run = promisify(execFile)
const lab = readLab()
const h2 = labHost(lab, 'h2')
const MULTI = `${lab.registry}/reg/multi:1`
const TAGGED = 'reg-ui/tagged:1'
const INDEX_ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json'
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page

const imageId = (ref: string) => docker(h2, 'image', 'inspect', '-f', '{{.Id}}', ref).catch(() => '')

beforeAll(async () => {
  await run(join(import.meta.dirname, 'seed-multiarch.sh'), [h2.dockerHost, lab.registry])
  if (await imageId(TAGGED)) await docker(h2, 'rmi', TAGGED)
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(app.url)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  if (await imageId(TAGGED)) await docker(h2, 'rmi', TAGGED)
})

describe('registry and image actions in the window', () => {
  it('connects h2 and opens its Images tab', async () => {
    await addHostInWindow(page, { name: 'h2', address: h2.address, user: h2.user, identityFile: lab.identityFile })
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h2.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    await expect.poll(() => page.locator('[data-host="h2"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    await page.getByRole('tab', { name: 'Images' }).click()
    await expect.poll(() => page.locator(`tr[data-image="${lab.image}"]`).count(), { timeout: 15_000 }).toBe(1)
  })

  it('shows both platforms of the two-architecture tag with the registry digests, amd64 marked as this host', async () => {
    await page.getByRole('button', { name: 'Inspect in registry…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Inspect in registry' })
    await dialog.getByLabel('Image reference').fill('Reg/Multi:1')
    await expect.poll(() => dialog.locator('p.message').textContent()).toContain('repository names must be lowercase')
    expect(await dialog.getByRole('button', { name: 'Inspect', exact: true }).isDisabled()).toBe(true)
    await dialog.getByLabel('Image reference').fill(MULTI)
    await dialog.getByRole('button', { name: 'Inspect', exact: true }).click()
    const indexDigest = dialog.locator('[data-index-digest]')
    await expect.poll(() => indexDigest.count(), { timeout: 20_000 }).toBe(1)

    const { stdout } = await run('curl', ['-sfI', '-H', `Accept: ${INDEX_ACCEPT}`, `http://${lab.registry}/v2/reg/multi/manifests/1`])
    expect(await indexDigest.textContent()).toBe(/docker-content-digest:\s*(\S+)/i.exec(stdout)![1])
    const cli = JSON.parse(await docker(h2, 'manifest', 'inspect', '--insecure', MULTI)) as {
      manifests: { digest: string; platform: { os: string; architecture: string } }[]
    }
    const rows = dialog.locator('li.platform')
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-platform')))).toEqual(['linux/amd64', 'linux/arm64'])
    for (const m of cli.manifests) {
      const row = dialog.locator(`li[data-platform="${m.platform.os}/${m.platform.architecture}"]`)
      expect(await row.locator('[data-manifest-digest]').textContent()).toBe(m.digest)
      expect(await row.locator('[data-this-host]').count()).toBe(m.platform.architecture === 'amd64' ? 1 : 0)
    }
    const arm = dialog.locator('li[data-platform="linux/arm64"]')
    await arm.getByText('Layers').click()
    const child = JSON.parse(await docker(h2, 'manifest', 'inspect', '--insecure', `${lab.registry}/reg/multi@${cli.manifests[1]!.digest}`)) as {
      layers: { digest: string }[]
    }
    const layerTexts = await arm.locator('[data-layer]').allTextContents()
    expect(layerTexts.map((t) => t.trim().split(' ').at(-1))).toEqual(child.layers.map((l) => l.digest))
    await page.screenshot({ path: join(screenshots, 'manifest-explorer.png') })
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  it('tags an image from its details, as docker tag would, and untags it again', async () => {
    await page.locator(`tr[data-image="${lab.image}"]`).click()
    const drawer = page.getByRole('complementary', { name: 'Image details' })
    await drawer.getByRole('button', { name: 'Tag…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Tag image' })
    await dialog.getByLabel('New repository:tag').fill(TAGGED)
    await dialog.getByRole('button', { name: 'Tag', exact: true }).click()
    await expect.poll(() => page.locator(`tr[data-image="${TAGGED}"]`).count(), { timeout: 10_000 }).toBe(1)
    expect(await imageId(TAGGED)).toBe(await imageId(lab.image))

    // the drawer covers the list's right side: close it to pick the new row
    await drawer.getByRole('button', { name: 'Close details' }).click()
    await page.locator(`tr[data-image="${TAGGED}"]`).click()
    await drawer.getByRole('button', { name: `Untag ${TAGGED}` }).click()
    await expect.poll(() => page.locator(`tr[data-image="${TAGGED}"]`).count(), { timeout: 10_000 }).toBe(0)
    expect(await imageId(TAGGED)).toBe('')
    expect(await imageId(lab.image)).not.toBe('')
  })
})
