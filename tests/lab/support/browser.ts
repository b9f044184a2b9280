/**
 * Debian's Chromium, headless, driven by playwright-core (no browser download needed).
 * playwright gives every launch a fresh, empty profile of its own.
 */
import { type Browser, chromium } from 'playwright-core'

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
