/**
 * Berth with 5,000 containers on one host (issue #5): how long the list takes, what the agent
 * and main hold in memory, and how the window shows and scrolls it and follows a change in it.
 *
 *   npm run --silent build && npx tsx bench/containers-scale.ts     # lab host h2 (lab up)
 *   CONTAINERS=2000 npx tsx bench/containers-scale.ts                # a smaller fleet
 *
 * It makes CONTAINERS containers in state `created` (never started: cheap) named scale-NNNNN
 * and labelled berth.bench=scale on lab host h2, straight through the engine API, and removes
 * them all at the end, also on failure or Ctrl-C (and leftovers of an interrupted run at start).
 * Phases:
 *   baseline  `docker ps -a` (the CLI on h2's socket) and one engine list call, same fleet
 *   core      a BerthCore in this process connected to h2 over SSH: containers.list, main's RSS
 *             (this process: it hosts the core, as Electron's main process does) and the agent
 *             daemon's RSS on h2 (/proc/<pid>/status VmRSS), idle and through a burst of engine
 *             events (start then stop BURST containers)
 *   window    the browser shell (node out/main/web.js, the core in its own process) and the real
 *             renderer in headless Chromium: connect h2 until the first rows are drawn, reopen the
 *             Containers view, scroll the list top to bottom timing each frame, the page's JS heap
 *             and DOM, and a `docker start`/`docker stop` on the host until the window shows it
 */
import type { Browser } from 'playwright-core'
import type { BerthCore } from '../main/core/core'
import { launchBrowser } from '../tests/lab/support/browser'
import { call, connectLabHost, startCore } from '../tests/lab/support/core'
import { labHost, readLab } from '../tests/lab/support/lab'
import { startWebApp, type WebApp } from '../tests/lab/support/web-app'
import { peakRssMb, percentile, rssMb, sleep, timed } from './measure'
import { agentDaemonPid, eachLimited, findProcess, Fleet, scaleName } from './scale-fleet'
import { connectInWindow, LONG_FRAME_MS, pageFigures, reopenContainersView, SCROLL_STEPS, scrollThrough, stateChanges, WHEEL_TICKS, wheelScroll } from './scale-window'

const CONTAINERS = Number(process.env.CONTAINERS ?? 5_000)
/** Containers started then stopped for the event burst. */
const BURST = 50
/** Repeats of each timed list, so one slow answer does not make the figure. */
const LIST_RUNS = 5
/** docker start + docker stop rounds timed in the window. */
const STATE_ROUNDS = 5
/** Time for the agent to settle after connecting (first list, subscriptions) before its idle RSS is read. */
const SETTLE_MS = 3_000
/** Time for the engine events of the burst to reach the core, at most. */
const BURST_DRAIN_TIMEOUT_MS = 60_000

const lab = readLab()
const host = labHost(lab, 'h2')
const fleet = new Fleet(host.dockerHost)

const ms = (n: number) => `${n.toFixed(0)} ms`
const mb = (n: number) => `${n.toFixed(1)} MB`
const spread = (xs: number[]) => `median ${ms(percentile(xs, 50))}, min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))} (n=${xs.length})`
const line = (label: string, value: string) => console.log(`  ${label.padEnd(50)} ${value}`)

async function repeat(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push(await timed(work))
  return times
}

async function baseline(): Promise<void> {
  console.log(`\nbaseline, the same ${CONTAINERS} containers without Berth`)
  line('docker ps -a (CLI on the host socket)', spread(await repeat(LIST_RUNS, () => fleet.cli('ps', '-a'))))
  line('engine API list, all (dockerode, this machine)', spread(await repeat(LIST_RUNS, () => fleet.engine.listContainers({ all: true }))))
}

/** Waits until `done()` or the deadline, checking every 50 ms. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(50)) if (done()) return true
  return done()
}

async function corePhase(): Promise<void> {
  const rssBeforeCore = process.memoryUsage().rss / 1024 / 1024
  const { core } = await startCore()
  try {
    const view = await connectLabHost(core, lab, host)
    const hostId = view.id
    console.log(`\ncore: a BerthCore in this process, ${host.name} over SSH (agent ${view.agentVersion ?? '?'})`)
    let listed = 0
    const times = await repeat(LIST_RUNS, async () => (listed = (await call(core, 'containers.list', { hostId })).length))
    line(`containers.list (${listed} containers)`, spread(times))
    const agentPid = await agentDaemonPid(host.user)
    await sleep(SETTLE_MS)
    line('main RSS before the core started', mb(rssBeforeCore))
    line('main RSS (this process, core connected, listed)', mb(process.memoryUsage().rss / 1024 / 1024))
    line(`agent daemon RSS on ${host.name}, idle (pid ${agentPid})`, mb(rssMb(agentPid)))
    await burst(core, hostId, agentPid)
  } finally {
    await core.close()
  }
}

/**
 * Starts then stops BURST containers through the engine and follows the events to the core: the
 * engine's own time for the calls, and how far behind each stop's call the core hears of it.
 */
async function burst(core: BerthCore, hostId: string, agentPid: number): Promise<void> {
  const names = Array.from({ length: BURST }, (_, i) => scaleName(i + 1))
  const exitedAt = new Map<string, number>()
  const stoppedAt = new Map<string, number>()
  let events = 0
  const off = core.onEvent((event, payload) => {
    const change = payload as { hostId?: string; container?: { name: string; state: string } | null }
    if (event !== 'container.stateChanged' || change.hostId !== hostId) return
    events++
    if (change.container?.state === 'exited' && names.includes(change.container.name)) exitedAt.set(change.container.name, performance.now())
  })
  let mainPeak = 0
  const mainSampler = setInterval(() => (mainPeak = Math.max(mainPeak, process.memoryUsage().rss / 1024 / 1024)), 100)
  let startsMs = 0
  let stopsMs = 0
  const { peak } = await peakRssMb(agentPid, async () => {
    startsMs = await timed(() => eachLimited(names, (n) => fleet.engine.getContainer(n).start(), 10))
    stopsMs = await timed(() =>
      eachLimited(names, async (n) => {
        await fleet.engine.getContainer(n).stop({ t: 5 })
        stoppedAt.set(n, performance.now())
      }, 10),
    )
    if (!(await until(() => exitedAt.size === BURST, BURST_DRAIN_TIMEOUT_MS))) throw new Error(`only ${exitedAt.size} of ${BURST} stops reached the core`)
  })
  clearInterval(mainSampler)
  off()
  // an event may beat the answer to its own stop call: that counts as no lag
  const lags = names.map((n) => Math.max(0, exitedAt.get(n)! - stoppedAt.get(n)!))
  const lastLag = Math.max(...exitedAt.values()) - Math.max(...stoppedAt.values())
  line(`burst: start + stop ${BURST} containers`, `engine took ${(startsMs / 1000).toFixed(1)} s for the starts, ${(stopsMs / 1000).toFixed(1)} s for the stops`)
  line('  container events at the core', String(events))
  line('  stop answered to exited event at the core', `p50 ${ms(percentile(lags, 50))}, p95 ${ms(percentile(lags, 95))}; last event ${ms(Math.max(0, lastLag))} after the last stop`)
  line('  agent daemon RSS, peak during the burst', mb(peak))
  line('  main RSS, peak during the burst', mb(mainPeak))
  await sleep(SETTLE_MS)
  line('  agent daemon RSS, settled after', mb(rssMb(agentPid)))
}

async function windowPhase(): Promise<void> {
  let app: WebApp | undefined
  let browser: Browser | undefined
  try {
    app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
    const dataDir = app.dataDir
    const shellPid = findProcess((args, _uid, env) => args.includes('out/main/web.js') && env().includes(`BERTH_DATA_DIR=${dataDir}\0`))
    browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    let listCalls = 0
    page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => (listCalls += String(payload).includes('"method":"containers.list"') ? 1 : 0)))
    await page.goto(app.url)

    console.log(`\nwindow: browser shell + renderer in headless Chromium (1400x900), ${host.name} over SSH`)
    line('connect (trust click) to first rows drawn', ms(await connectInWindow(page, lab, host)))
    const total = await page.getByRole('status').filter({ hasText: / containers$/ }).textContent()
    line('  the toolbar counts', total ?? '?')
    const reopen: number[] = []
    for (let i = 0; i < 3; i++) reopen.push(await reopenContainersView(page))
    line('open the Containers view to first rows drawn', spread(reopen))

    const before = await pageFigures(page, cdp)
    const scroll = await scrollThrough(page, cdp)
    line(`scroll top to bottom in ${SCROLL_STEPS} jumps (+ settling)`, `frames p50 ${ms(scroll.p50)}, p95 ${ms(scroll.p95)}, max ${ms(scroll.max)}`)
    line(`  long frames (> ${LONG_FRAME_MS} ms)`, `${scroll.long} of ${scroll.frames.length}`)
    line('  page main-thread busy per jump', ms(scroll.busyPerStepMs))
    line('  container rows in the DOM, at most', `${scroll.maxRowsInDom} (last row drawn: ${scroll.lastRow})`)
    const wheel = await wheelScroll(page)
    line(`scroll with the mouse wheel (${WHEEL_TICKS} ticks)`, `frames p50 ${ms(wheel.p50)}, p95 ${ms(wheel.p95)}, max ${ms(wheel.max)}`)
    line(`  long frames (> ${LONG_FRAME_MS} ms)`, `${wheel.long} of ${wheel.frames.length}`)
    line('  distance scrolled', `${Math.round(wheel.scrolledPx)} px`)
    const after = await pageFigures(page, cdp)
    line('page JS heap used, before / after scrolling', `${mb(before.heapUsedMb)} / ${mb(after.heapUsedMb)} (of ${mb(after.heapTotalMb)})`)
    line('page DOM nodes, before / after scrolling', `${before.domNodes} / ${after.domNodes}`)

    const listsBefore = listCalls
    const changes = await stateChanges(page, fleet, scaleName(1), STATE_ROUNDS)
    line(`docker start/stop on the host to the window`, `p50 ${ms(percentile(changes.toWindow, 50))}, max ${ms(Math.max(...changes.toWindow))} (n=${changes.toWindow.length})`)
    line('  of which the docker CLI command itself', `p50 ${ms(percentile(changes.cli, 50))}`)
    line('  containers.list calls from the page meanwhile', String(listCalls - listsBefore))
    if (shellPid) line('browser shell RSS (its core: main in this mode)', mb(rssMb(shellPid)))
  } finally {
    await browser?.close()
    await app?.stop()
  }
}

async function main(): Promise<void> {
  let cleaning: Promise<number> | undefined
  const cleanup = () => (cleaning ??= fleet.removeAll())
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: removing the bench's containers…`)
      void cleanup().finally(() => process.exit(130))
    })
  }
  const began = performance.now()
  const leftovers = await fleet.removeAll()
  if (leftovers) console.log(`removed ${leftovers} containers left by an earlier run`)
  try {
    const created = await timed(() => fleet.create(CONTAINERS, lab.image))
    console.log(`containers at scale on lab host ${host.name}: ${CONTAINERS} created (not started) in ${(created / 1000).toFixed(1)} s`)
    await baseline()
    await corePhase()
    await windowPhase()
  } finally {
    const removing = performance.now()
    const removed = await cleanup()
    console.log(`\nremoved the ${removed} containers in ${((performance.now() - removing) / 1000).toFixed(1)} s; whole run ${((performance.now() - began) / 1000).toFixed(0)} s`)
  }
  process.exit(0)
}

main().catch(async (err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
