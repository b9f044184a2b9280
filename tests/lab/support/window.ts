/**
 * The window as a user opens it, for the tests of one file (or one describe block): the
 * browser shell on a fresh home, no local engine, and a page in headless Chromium; closed
 * after the last test.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser } from './browser'
import { startWebApp, type WebApp } from './web-app'

export interface OpenWindow {
  readonly app: WebApp
  readonly browser: Browser
  readonly page: Page
}

export function useWindow(viewport = { width: 1280, height: 800 }): OpenWindow {
  let app: WebApp | undefined
  let browser: Browser | undefined
  let page: Page | undefined
  beforeAll(async () => {
    app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport })
    await page.goto(app.url)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the window is opened in beforeAll: use it inside a test')
    return value
  }
  return {
    get app() {
      return ready(app)
    },
    get browser() {
      return ready(browser)
    },
    get page() {
      return ready(page)
    },
  }
}
