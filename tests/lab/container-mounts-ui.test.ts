/**
 * A container's mounts in its details, in the real window (headless Chromium on the browser
 * shell) against h1's engine: for a volume its name and its folder on the host, for a bind
 * its host path, each with destination and rw/ro as `docker inspect` has them; and Browse on
 * the volume opens that volume's files. Everything here is this file's own (mounts-*).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const CONTAINER = 'mounts-c'
const VOLUME = 'mounts-data'
/** h1's engine runs on this machine, so a folder here is a folder on h1. */
const bindDir = mkdtempSync(join(tmpdir(), 'berth-mounts-'))

let app: WebApp
let browser: Browser
let page: Page

async function cleanUp(): Promise<void> {
  await docker(h1, 'rm', '-f', CONTAINER).catch(() => {})
  // the volume browser's helper container mounts the volume until it has been idle a while
  const helpers = (await docker(h1, 'ps', '-aq', '--filter', 'label=berth.helper=volume-files', '--filter', `volume=${VOLUME}`).catch(() => ''))
    .split('\n')
    .filter(Boolean)
  if (helpers.length) await docker(h1, 'rm', '-f', ...helpers).catch(() => {})
  await docker(h1, 'volume', 'rm', '-f', VOLUME).catch(() => {})
}

beforeAll(async () => {
  await cleanUp()
  await docker(h1, 'volume', 'create', VOLUME)
  await docker(h1, 'run', '--rm', '--network', 'none', '-v', `${VOLUME}:/data`, lab.image, 'sh', '-c', 'echo "written inside" > /data/inside.txt')
  await docker(h1, 'run', '-d', '--name', CONTAINER, '--network', 'none', '-v', `${VOLUME}:/data`, '-v', `${bindDir}:/conf:ro`, lab.image, 'sleep', '1000000')
  // this computer's host, pointed at h1's engine: it connects by itself
  app = await startWebApp({ DOCKER_HOST: h1.dockerHost })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.goto(app.url)
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await cleanUp()
  rmSync(bindDir, { recursive: true, force: true })
})

const mount = (destination: string) => page.locator(`[data-mount="${destination}"]`)
const field = (destination: string, name: string) => mount(destination).locator(`[data-field="${name}"]`).textContent()

describe('mounts in the container details', () => {
  it('shows each mount as docker inspect has it, with the volume\'s folder on the host', async () => {
    const name = page.locator(`tr[data-container="${CONTAINER}"] th button`)
    await name.click({ timeout: 30_000 })
    await expect.poll(() => mount('/data').count(), { timeout: 10_000 }).toBe(1)

    const mountpoint = await docker(h1, 'volume', 'inspect', '-f', '{{.Mountpoint}}', VOLUME)
    const cli = JSON.parse(await docker(h1, 'inspect', '-f', '{{json .Mounts}}', CONTAINER)) as Array<{ Type: string; Source: string; Destination: string; RW: boolean }>
    expect(cli.find((m) => m.Destination === '/data')).toMatchObject({ Type: 'volume', Source: mountpoint, RW: true })
    expect(cli.find((m) => m.Destination === '/conf')).toMatchObject({ Type: 'bind', Source: bindDir, RW: false })

    expect(await field('/data', 'type')).toBe('volume')
    expect(await field('/data', 'volume')).toBe(VOLUME)
    expect(await field('/data', 'host-path')).toBe(mountpoint)
    expect(await field('/data', 'mode')).toBe('rw')
    expect(await field('/conf', 'type')).toBe('bind')
    expect(await field('/conf', 'host-path')).toBe(bindDir)
    expect(await field('/conf', 'mode')).toBe('ro')
    // a bind is the host's own filesystem: no browsing into it
    expect(await mount('/conf').getByRole('button').count()).toBe(0)
  })

  it('opens the volume\'s files from its Browse button', async () => {
    await page.getByRole('button', { name: `Browse the volume ${VOLUME}` }).click()
    const files = page.getByRole('region', { name: `Files in volume ${VOLUME}` })
    await expect.poll(() => files.locator('tr[data-file="inside.txt"]').count(), { timeout: 20_000 }).toBe(1)
    await files.getByRole('button', { name: 'View inside.txt' }).click()
    await expect.poll(() => files.locator('[data-text-view]').textContent(), { timeout: 10_000 }).toBe('written inside\n')
  })
})
