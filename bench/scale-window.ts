/**
 * The containers-scale bench in the window: the real browser shell and renderer in headless
 * Chromium, with a lab host that has thousands of containers. Times are taken inside the page
 * (performance.now, requestAnimationFrame) so the driver's round trips do not count.
 */
import type { CDPSession, Page } from 'playwright-core'
import type { Lab, LabHost } from '../tests/lab/support/lab'
import type { Fleet } from './scale-fleet'
import { percentile, timed } from './measure'

/** Mouse-wheel ticks of WHEEL_TICK_PX, WHEEL_GAP_MS apart: a user scrolling briskly with the wheel. */
export const WHEEL_TICKS = 120
const WHEEL_TICK_PX = 100
const WHEEL_GAP_MS = 16
/** Scroll steps from the top of the list to its bottom, one animation frame each. */
export const SCROLL_STEPS = Number(process.env.SCROLL_STEPS ?? 60)
/** A frame longer than this is one a user sees as a stutter. */
export const LONG_FRAME_MS = 50
/**
 * What the page-side functions use of the DOM. The bench is type-checked as Node code (no DOM
 * lib, on purpose: it would make `document` look valid in main and the agent too), and these
 * functions run in the page, so each takes the page's globals through this shape.
 */
interface PageElement {
  scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  readonly textContent: string | null
  click(): void
  scrollTo(options: { top: number }): void
  getAttribute(name: string): string | null
  querySelectorAll(selector: string): ArrayLike<PageElement>
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> }
  requestAnimationFrame(callback: (time: number) => void): number
  /** When the page drew the state a state-change round waits for (Date.now()). */
  seenAt?: number
  /** Animation frame times recorded while the wheel scrolls; recording stops when set to null. */
  wheelFrames?: number[] | null
}

const CONNECT_TIMEOUT_MS = 60_000
const STATE_TIMEOUT_MS = 10_000

/** Adds the host from the sidebar, trusts its key and resolves to ms from the trust click to the first container rows drawn. */
export async function connectInWindow(page: Page, lab: Lab, host: LabHost): Promise<number> {
  await page.getByRole('navigation', { name: 'Hosts' }).getByRole('button', { name: 'Add host' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add host' })
  await dialog.getByLabel('Name', { exact: true }).fill(host.name)
  await dialog.getByLabel('Address').fill(host.address)
  await dialog.getByLabel('Port').fill(String(host.port))
  await dialog.getByLabel('User').fill(host.user)
  await dialog.getByLabel('Identity file').fill(lab.identityFile)
  await dialog.getByRole('button', { name: 'Add', exact: true }).click()
  const prompt = page.getByRole('alertdialog')
  await prompt.getByText(host.hostKeyFingerprint, { exact: true }).waitFor({ timeout: CONNECT_TIMEOUT_MS })
  return timed(async () => {
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('tr[data-container]') !== null, undefined, { timeout: CONNECT_TIMEOUT_MS, polling: 'raf' })
  })
}

/** Opens another view of the host, then the Containers view again: ms from the click to the first rows drawn. */
export async function reopenContainersView(page: Page): Promise<number> {
  await page.getByRole('tab', { name: 'Images' }).click()
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('tr[data-container]') === null)
  return page.evaluate(async () => {
    const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals
    const tab = Array.from(document.querySelectorAll('[role="tab"]')).find((t) => t.textContent?.includes('Containers'))
    if (!tab) throw new Error('no Containers tab')
    const start = performance.now()
    tab.click()
    while (!document.querySelector('tr[data-container]')) await new Promise((resolve) => requestAnimationFrame(resolve))
    return performance.now() - start
  })
}

export interface ScrollFigures {
  frames: number[]
  p50: number
  p95: number
  max: number
  long: number
  maxRowsInDom: number
  lastRow: string
  /** Main-thread time the page spent per jump (script, style, layout, paint), less noisy than frame times on a busy machine. */
  busyPerStepMs: number
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN
}

/** Scrolls the table from top to bottom in SCROLL_STEPS jumps, one frame each, timing every frame. */
export async function scrollThrough(page: Page, cdp: CDPSession): Promise<ScrollFigures> {
  const busyBefore = await taskSeconds(cdp)
  const { frames, maxRowsInDom, lastRow } = await page.evaluate(async (steps) => {
    const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals
    const box = document.querySelector('.table-wrap')
    if (!box) throw new Error('no containers table')
    box.scrollTop = 0
    // inline promises, no named helpers: tsx would wrap a named one in a __name() the page lacks
    await new Promise<number>((resolve) => requestAnimationFrame(resolve))
    const stamps: number[] = [await new Promise<number>((resolve) => requestAnimationFrame(resolve))]
    let maxRows = 0
    for (let i = 1; i <= steps; i++) {
      box.scrollTop = Math.ceil((i * (box.scrollHeight - box.clientHeight)) / steps)
      stamps.push(await new Promise<number>((resolve) => requestAnimationFrame(resolve)))
      maxRows = Math.max(maxRows, box.querySelectorAll('tr[data-container]').length)
    }
    // rows measured on the way change the height: keep going until the bottom stays put
    for (let extra = 0; extra < 10 && box.scrollTop + box.clientHeight < box.scrollHeight - 1; extra++) {
      box.scrollTop = box.scrollHeight
      stamps.push(await new Promise<number>((resolve) => requestAnimationFrame(resolve)))
    }
    // one more frame: the last jump's rows are drawn in it
    stamps.push(await new Promise<number>((resolve) => requestAnimationFrame(resolve)))
    const rows = box.querySelectorAll('tr[data-container]')
    return {
      frames: stamps.slice(1).map((t, i) => t - stamps[i]!),
      maxRowsInDom: maxRows,
      lastRow: rows[rows.length - 1]?.getAttribute('data-container') ?? '',
    }
  }, SCROLL_STEPS)
  const busyPerStepMs = (((await taskSeconds(cdp)) - busyBefore) * 1000) / frames.length
  return {
    frames,
    p50: percentile(frames, 50),
    p95: percentile(frames, 95),
    max: Math.max(...frames),
    long: frames.filter((f) => f > LONG_FRAME_MS).length,
    maxRowsInDom,
    lastRow,
    busyPerStepMs,
  }
}

export interface PageFigures {
  heapUsedMb: number
  heapTotalMb: number
  domNodes: number
  rowsInDom: number
}

/** The page's JS heap after a garbage collection, and what is in its DOM. */
export async function pageFigures(page: Page, cdp: CDPSession): Promise<PageFigures> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN
  const rowsInDom = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('tr[data-container]').length)
  return {
    heapUsedMb: metric('JSHeapUsedSize') / 1024 / 1024,
    heapTotalMb: metric('JSHeapTotalSize') / 1024 / 1024,
    domNodes: metric('Nodes'),
    rowsInDom,
  }
}

export interface StateChangeFigures {
  /** ms from the CLI command's start until the window's badge shows the new state. */
  toWindow: number[]
  /** ms the CLI command itself took (the engine's part of the above). */
  cli: number[]
}

/**
 * `docker start` then `docker stop` on the host, ROUNDS times, for a container in view: how long
 * each takes to show in the window's row. The clock is this machine's, shared with the page.
 */
export async function stateChanges(page: Page, fleet: Fleet, name: string, rounds: number): Promise<StateChangeFigures> {
  const figures: StateChangeFigures = { toWindow: [], cli: [] }
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelector('.table-wrap')?.scrollTo({ top: 0 }))
  const badge = page.locator(`tr[data-container="${name}"] .badge[data-state]`)
  await badge.waitFor({ timeout: STATE_TIMEOUT_MS })
  for (let round = 0; round < rounds; round++) {
    for (const [command, state] of [['start', 'running'], ['stop', 'exited']] as const) {
      // the page starts watching (every frame) before the command runs, and notes when it draws the new state
      await page.evaluate(
        ({ name, state }) => {
          const w = globalThis as unknown as PageGlobals
          delete w.seenAt
          const selector = `tr[data-container="${name}"] .badge[data-state]`
          void (async () => {
            while (w.document.querySelector(selector)?.getAttribute('data-state') !== state) await new Promise((resolve) => w.requestAnimationFrame(resolve))
            w.seenAt = Date.now()
          })()
        },
        { name, state },
      )
      const start = Date.now()
      await fleet.cli(command, name)
      figures.cli.push(Date.now() - start)
      const seenAt = await page.waitForFunction(() => (globalThis as unknown as PageGlobals).seenAt, undefined, { timeout: STATE_TIMEOUT_MS })
      figures.toWindow.push(((await seenAt.jsonValue()) as number) - start)
    }
  }
  return figures
}

/**
 * Scrolls with the mouse wheel, as a user does (a few rows per tick, not the whole view per
 * frame as the jumps above): frame times recorded in the page while the ticks come.
 */
export async function wheelScroll(page: Page): Promise<Pick<ScrollFigures, 'frames' | 'p50' | 'p95' | 'max' | 'long'> & { scrolledPx: number }> {
  const box = page.locator('.table-wrap')
  await box.evaluate((el) => (el.scrollTop = 0))
  const area = (await box.boundingBox())!
  await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2)
  // a string, not a function: tsx would wrap the recursive callback in a __name() the page lacks
  await page.evaluate(`(() => {
    window.wheelFrames = []
    const record = (t) => { if (!window.wheelFrames) return; window.wheelFrames.push(t); requestAnimationFrame(record) }
    requestAnimationFrame(record)
  })()`)
  for (let i = 0; i < WHEEL_TICKS; i++) {
    await page.mouse.wheel(0, WHEEL_TICK_PX)
    await new Promise((resolve) => setTimeout(resolve, WHEEL_GAP_MS))
  }
  const stamps = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals
    const recorded = g.wheelFrames ?? []
    g.wheelFrames = null
    return recorded
  })
  const frames = stamps.slice(1).map((t, i) => t - stamps[i]!)
  const scrolledPx = await box.evaluate((el) => el.scrollTop)
  return { scrolledPx, frames, p50: percentile(frames, 50), p95: percentile(frames, 95), max: Math.max(...frames), long: frames.filter((f) => f > LONG_FRAME_MS).length }
}
