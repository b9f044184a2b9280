/**
 * A volume's files and network attachments from the real window (headless Chromium on the
 * browser shell) against h1: browse a volume, open a text file, upload and download one, meet
 * the refusal of a link out of the volume; connect a container to a network with a fixed
 * address and an alias, then disconnect it. Each checked with the docker CLI on the host.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { addHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const screenshots = join(import.meta.dirname, '../../out/screenshots')
const VOLUME = 'vf-ui'
const HELPER = 'label=berth.helper=volume-files'

let app: WebApp
let browser: Browser
let page: Page

const inVolume = (script: string) => docker(h1, 'run', '--rm', '--network', 'none', '-v', `${VOLUME}:/v`, lab.image, 'sh', '-c', script)
const helpers = async () => (await docker(h1, 'ps', '-aq', '--filter', HELPER)).split('\n').filter(Boolean)

async function cleanUp(): Promise<void> {
  await docker(h1, 'rm', '-f', 'vf-ui-c').catch(() => {})
  await docker(h1, 'network', 'rm', 'vf-ui-net', 'vf-ui-home').catch(() => {})
  const ids = await helpers().catch(() => [])
  if (ids.length > 0) await docker(h1, 'rm', '-f', ...ids).catch(() => {})
  await docker(h1, 'rmi', '-f', 'berth/volume-files:1').catch(() => {})
  await docker(h1, 'volume', 'rm', '-f', VOLUME).catch(() => {})
}

beforeAll(async () => {
  await cleanUp()
  await docker(h1, 'volume', 'create', VOLUME)
  await inVolume('busybox mkdir /v/docs && echo "hello from the volume" > /v/docs/readme.txt && busybox ln -s ../../.. /v/out')
  await docker(h1, 'network', 'create', '--subnet', '10.242.0.0/24', 'vf-ui-net')
  await docker(h1, 'network', 'create', 'vf-ui-home')
  await docker(h1, 'run', '-d', '--name', 'vf-ui-c', '--network', 'vf-ui-home', lab.image, 'sleep', '100000')
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  await page.goto(app.url)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await cleanUp()
})

const tab = (name: string) => page.getByRole('tab', { name })
const browserPanel = () => page.getByRole('region', { name: `Files in volume ${VOLUME}` })

describe('volume files and network attachments from the window', () => {
  it('connects h1 through the Add host form', async () => {
    await addHostInWindow(page, { name: 'h1', address: h1.address, user: h1.user, identityFile: lab.identityFile })
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h1.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    await expect.poll(() => page.locator('[data-host="h1"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
  })

  it('browses a volume and opens a text file in it', async () => {
    await tab('Volumes').click()
    await page.getByRole('button', { name: `Browse files of volume ${VOLUME}` }).click()
    const panel = browserPanel()
    await expect.poll(() => panel.locator('tr[data-file]').count(), { timeout: 20_000 }).toBe(2)
    expect(await panel.locator('tr[data-file="out"]').textContent()).toContain('→ ../../..')
    const [helper] = await helpers()
    expect(await docker(h1, 'inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}} {{.State.Status}}', helper!)).toBe(`${VOLUME} created`)
    await panel.getByRole('button', { name: 'Open folder docs' }).click()
    await expect.poll(() => panel.locator('tr[data-file="readme.txt"]').count(), { timeout: 10_000 }).toBe(1)
    await panel.getByRole('button', { name: 'View readme.txt' }).click()
    await expect.poll(() => panel.locator('[data-text-view]').textContent(), { timeout: 10_000 }).toBe('hello from the volume\n')
    await page.screenshot({ path: join(screenshots, 'volume-files.png') })
  })

  it('uploads a file into the open folder, as the host then sees it', async () => {
    const panel = browserPanel()
    await panel.getByLabel('Upload a file into /docs').setInputFiles({ name: 'from-window.txt', mimeType: 'text/plain', buffer: Buffer.from('uploaded from Berth\n') })
    await expect.poll(() => panel.locator('tr[data-file="from-window.txt"]').count(), { timeout: 20_000 }).toBe(1)
    expect(await inVolume('cat /v/docs/from-window.txt')).toBe('uploaded from Berth')
    expect(await panel.locator('[data-transfer="from-window.txt"]').getAttribute('data-state')).toBe('done')
  })

  it('downloads a file to this computer', async () => {
    const panel = browserPanel()
    const saving = page.waitForEvent('download')
    await panel.getByRole('button', { name: 'Download readme.txt' }).click()
    const download = await saving
    expect(download.suggestedFilename()).toBe('readme.txt')
    expect(await readFile(await download.path())).toEqual(Buffer.from(await inVolume('cat /v/docs/readme.txt') + '\n'))
  })

  it('refuses a symbolic link out of the volume, naming it', async () => {
    const panel = browserPanel()
    await panel.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: '/' }).first().click()
    await expect.poll(() => panel.locator('tr[data-file="out"]').count(), { timeout: 10_000 }).toBe(1)
    await panel.getByRole('button', { name: 'Open folder out' }).click()
    await expect
      .poll(() => panel.locator('[data-browser-error]').first().textContent(), { timeout: 10_000 })
      .toBe(`the path /out goes through the symbolic link /out -> ../../.., which points outside the volume ${VOLUME}: refused`)
  })

  it('removes the helper container when the browser closes', async () => {
    await browserPanel().getByRole('button', { name: 'Close browser' }).click()
    await expect.poll(() => helpers(), { timeout: 20_000 }).toEqual([])
  })

  it('removes a volume that is open in the browser, closing the browser first', async () => {
    await page.getByRole('button', { name: `Browse files of volume ${VOLUME}` }).click()
    await expect.poll(() => browserPanel().locator('tr[data-file]').count(), { timeout: 20_000 }).toBe(2)
    expect(await docker(h1, 'volume', 'ls', '-q', '--filter', `name=${VOLUME}`)).toBe(VOLUME)
    await page.getByRole('button', { name: `Remove volume ${VOLUME}` }).click()
    await page.getByRole('dialog', { name: `Remove volume ${VOLUME}?` }).getByRole('button', { name: 'Remove' }).click()
    await expect.poll(() => page.locator(`tr[data-volume="${VOLUME}"]`).count(), { timeout: 20_000 }).toBe(0)
    expect(await docker(h1, 'volume', 'ls', '-q', '--filter', `name=${VOLUME}`)).toBe('')
    expect(await helpers()).toEqual([])
  })

  it('connects a container to a network with a fixed address and an alias, then disconnects it', async () => {
    await tab('Networks').click()
    await page.getByRole('button', { name: 'Connect a container to vf-ui-net' }).click()
    const dialog = page.getByRole('dialog', { name: 'Connect a container to vf-ui-net' })
    await expect.poll(() => dialog.locator('option[value="vf-ui-c"]').count(), { timeout: 10_000 }).toBe(1)
    await dialog.getByLabel('Container').selectOption('vf-ui-c')
    await dialog.getByLabel('IPv4 address').fill('10.242.0.400')
    await dialog.getByRole('button', { name: 'Connect' }).click()
    expect(await dialog.locator('[data-error-for="ipv4Address"]').count()).toBe(1)
    await dialog.getByLabel('IPv4 address').fill('10.242.0.50')
    await dialog.getByLabel('Aliases').fill('cache')
    await dialog.getByRole('button', { name: 'Connect' }).click()
    const row = page.locator('tr[data-network="vf-ui-net"]')
    await expect.poll(() => row.locator('[data-col="containers"]').textContent(), { timeout: 10_000 }).toBe('vf-ui-c 10.242.0.50')
    const inspect = JSON.parse(await docker(h1, 'network', 'inspect', 'vf-ui-net'))[0] as { Containers: Record<string, { Name: string; IPv4Address: string }> }
    expect(Object.values(inspect.Containers)).toEqual([expect.objectContaining({ Name: 'vf-ui-c', IPv4Address: '10.242.0.50/24' })])
    const aliases = await docker(h1, 'inspect', '-f', '{{json (index .NetworkSettings.Networks "vf-ui-net").Aliases}}', 'vf-ui-c')
    expect(JSON.parse(aliases)).toContain('cache')
    await page.screenshot({ path: join(screenshots, 'network-connected.png') })

    await page.getByRole('button', { name: 'Disconnect vf-ui-c from vf-ui-net' }).click()
    await expect.poll(() => row.locator('[data-col="containers"]').textContent(), { timeout: 10_000 }).toBe('')
    const after = JSON.parse(await docker(h1, 'network', 'inspect', 'vf-ui-net'))[0] as { Containers: Record<string, unknown> }
    expect(after.Containers).toEqual({})
  })
})
