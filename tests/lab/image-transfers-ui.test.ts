/**
 * Building and saving images from the window, in headless Chromium against the browser shell:
 * build a folder on h2 with the Build dialog (output shown as it comes), then save the image
 * to a tar file; the docker CLI and tar check each step.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { connectHostInWindow } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h2 = labHost(lab, 'h2')
const tag = `ui-build/app:${process.pid}`
const work = mkdtempSync(join(tmpdir(), 'berth-ui-build-'))
let app: WebApp
let browser: Browser
let page: Page

beforeAll(async () => {
  writeFileSync(join(work, 'Dockerfile'), `FROM ${lab.image}\nRUN echo built-in-the-window > /note\n`)
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(app.url)
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await docker(h2, 'rmi', '-f', tag).catch(() => {})
})

describe('image moves in the window', () => {
  it('connects h2 and opens its images', async () => {
    await connectHostInWindow(page, { name: 'h2', address: h2.address, user: h2.user, identityFile: lab.identityFile, hostKeyFingerprint: h2.hostKeyFingerprint })
    await page.getByRole('tab', { name: 'Images' }).click()
  })

  it('builds a folder on the host, showing the output, and lists the new image', async () => {
    await page.getByRole('button', { name: 'Build…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Build an image' })
    await dialog.getByLabel('Folder on this computer').fill('relative/folder')
    await dialog.getByRole('button', { name: 'Build', exact: true }).click()
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('full path')
    await dialog.getByLabel('Folder on this computer').fill(work)
    await dialog.getByLabel('Tags, one per line').fill(tag)
    await dialog.getByRole('button', { name: 'Build', exact: true }).click()
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 60_000 }).toContain(`as ${tag}`)
    expect(await dialog.getByLabel('Build output').textContent()).toMatch(/Step 2\/2 : RUN echo built-in-the-window/)
    expect(await docker(h2, 'run', '--rm', '--network', 'none', tag, 'cat', '/note')).toBe('built-in-the-window')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => page.locator(`tr[data-image="${tag}"]`).count(), { timeout: 10_000 }).toBe(1)
  })

  it('saves that image to a tar file on this computer', async () => {
    await page.locator(`tr[data-image="${tag}"]`).click()
    await page.getByRole('button', { name: 'Save to file…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Save image to a file' })
    const path = join(work, 'saved.tar')
    await dialog.getByLabel('File on this computer').fill(path)
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 30_000 }).toContain(`Saved to ${path}`)
    expect(existsSync(path)).toBe(true)
    expect(execFileSync('tar', ['-xOf', path, 'manifest.json'], { encoding: 'utf8' })).toContain(tag)
  })
})
