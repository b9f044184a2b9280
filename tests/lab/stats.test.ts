/**
 * Live container stats against a real lab engine: a busy and an idle container of our own,
 * sampled both by an agent that can read the cgroup files (this computer's agent, pointed at
 * h1's engine by DOCKER_HOST, as the docker CLI would follow it) and by h1's own agent over
 * SSH, whose login cannot see them in the lab and so must ask the engine. Every figure is
 * checked against what `docker stats` says on the host.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerStats, StatsSample } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab, sshRun } from './support/lab'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const BUSY = 'stats-busy'
const IDLE = 'stats-idle'
const LATE = 'stats-late'
const SAMPLE_INTERVAL_MS = 1_000
const SAMPLE_WAIT_MS = 20_000
const made = [BUSY, IDLE, LATE]
/** Samples averaged against the kernel's own count: long enough to span two engine readings (4 s apart). */
const CPU_WINDOW_SAMPLES = 8
/** Percentage points Berth's average may be off the kernel's over the same window (edges differ by a transit). */
const CPU_TOLERANCE_POINTS = 12
/**
 * A spinning shell gets a whole core on an idle machine, but the lab machine is shared (2 cores,
 * other test runs): it is checked against what the kernel says it got, and only required to
 * be clearly busy.
 */
const BUSY_AT_LEAST_PERCENT = 20
const IDLE_BELOW_PERCENT = 5
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())

let t: TestCore
let remoteId: string
let remoteSource: 'cgroup' | 'engine'

const UNIT_BYTES: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, kB: 1e3, MB: 1e6, GB: 1e9 }

/** "468KiB" or "23.54GiB", as docker stats prints sizes. */
function parseSize(text: string): number {
  const match = /^([\d.]+)\s*([A-Za-z]+)$/.exec(text.trim())
  if (!match || !UNIT_BYTES[match[2]!]) throw new Error(`not a size: ${text}`)
  return Number(match[1]) * UNIT_BYTES[match[2]!]!
}

async function dockerStats(name: string): Promise<{ memory: number; limit: number; pids: number }> {
  const [mem, pids] = (await docker(h1, 'stats', '--no-stream', '--format', '{{.MemUsage}}|{{.PIDs}}', name)).split('|')
  const [used, limit] = mem!.split(' / ')
  return { memory: parseSize(used!), limit: parseSize(limit!), pids: Number(pids) }
}

function samplesOf(hostId: string): StatsSample[] {
  return t.events.filter((e) => e.event === 'stats.sample' && e.payload.hostId === hostId).map((e) => e.payload as unknown as StatsSample)
}

/** Waits for a sample (after those already seen) that satisfies `ok`. */
async function nextSample(hostId: string, ok: (s: StatsSample) => boolean, timeoutMs = SAMPLE_WAIT_MS): Promise<StatsSample> {
  const seen = samplesOf(hostId).length
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const found = samplesOf(hostId).slice(seen).find(ok)
    if (found) return found
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no matching stats.sample within ${timeoutMs} ms (last: ${JSON.stringify(samplesOf(hostId).at(-1)?.containers.map((c) => [c.name, c.cpuPercent]))})`)
}

const find = (s: StatsSample, name: string): ContainerStats | undefined => s.containers.find((c) => c.name === name)

/**
 * CPU seconds the kernel counts for a process (utime + stime in /proc/<pid>/stat): the busy
 * container's whole work, since its shell loops on builtins and never forks.
 */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

beforeAll(async () => {
  await docker(h1, 'rm', '-f', ...made).catch(() => {})
  await docker(h1, 'run', '-d', '--name', BUSY, '--network', 'none', lab.image, 'sh', '-c', 'while :; do :; done')
  await docker(h1, 'run', '-d', '--name', IDLE, '--network', 'none', lab.image, 'sleep', '1000000')
  t = await startCore({ DOCKER_HOST: h1.dockerHost })
  await call(t.core, 'hosts.connect', { hostId: 'local' })
  remoteId = (await connectLabHost(t.core, lab, h1)).id
  // what h1's login can read decides which source its agent must use
  const id = await docker(h1, 'inspect', '-f', '{{.Id}}', IDLE)
  const readable = await sshRun(
    lab,
    h1,
    `for f in /sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes /sys/fs/cgroup/docker/${id}/memory.current ` +
      `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.current; do cat "$f" >/dev/null 2>&1 && echo yes && exit 0; done; echo no`,
  )
  remoteSource = readable.trim() === 'yes' ? 'cgroup' : 'engine'
})

afterAll(async () => {
  await t?.core.close()
  await docker(h1, 'rm', '-f', ...made).catch(() => {})
})

describe.each([
  { label: "this computer's agent, which can read the cgroup files", host: () => 'local', source: () => 'cgroup' as const },
  { label: "h1's own agent over SSH", host: () => remoteId, source: () => remoteSource },
])('live stats from $label', ({ host, source }) => {
  it('shows the CPU the kernel counts for a busy container, an idle one near 0 %, from the expected source', async () => {
    expect(await call(t.core, 'stats.subscribe', { hostId: host(), intervalMs: SAMPLE_INTERVAL_MS })).toEqual({ intervalMs: SAMPLE_INTERVAL_MS })
    await nextSample(host(), (s) => find(s, BUSY)?.cpuPercent != null && find(s, IDLE)?.cpuPercent != null)
    const pid = Number(await docker(h1, 'inspect', '-f', '{{.State.Pid}}', BUSY))
    const from = { at: Date.now(), cpu: processCpuSeconds(pid), samples: samplesOf(host()).length }
    await expect.poll(() => samplesOf(host()).length - from.samples, { timeout: SAMPLE_WAIT_MS }).toBeGreaterThanOrEqual(CPU_WINDOW_SAMPLES)
    const kernelPercent = ((processCpuSeconds(pid) - from.cpu) / ((Date.now() - from.at) / 1000)) * 100
    const window = samplesOf(host()).slice(from.samples, from.samples + CPU_WINDOW_SAMPLES)
    const berthPercent = window.reduce((n, s) => n + find(s, BUSY)!.cpuPercent!, 0) / window.length
    console.info(`${BUSY} via ${source()}: Berth ${berthPercent.toFixed(1)} %, kernel ${kernelPercent.toFixed(1)} % over ${window.length} samples`)
    expect(Math.abs(berthPercent - kernelPercent), `Berth ${berthPercent.toFixed(1)} %, kernel ${kernelPercent.toFixed(1)} %`).toBeLessThan(CPU_TOLERANCE_POINTS)
    expect(berthPercent).toBeGreaterThan(BUSY_AT_LEAST_PERCENT)
    for (const s of window) expect(find(s, IDLE)!.cpuPercent).toBeLessThan(IDLE_BELOW_PERCENT)
    const sample = window.at(-1)!
    expect(find(sample, BUSY)!.source).toBe(source())
    expect(find(sample, IDLE)!.source).toBe(source())
    // the seeded running containers are sampled too; paused and stopped ones are not
    expect(sample.containers.map((c) => c.name)).toEqual(expect.arrayContaining(['web', 'worker', BUSY, IDLE]))
    expect(sample.containers.map((c) => c.name)).not.toContain('frozen')
    expect(sample.containers.map((c) => c.name)).not.toContain('job')
  })

  it('reports memory, its limit and pids as docker stats does, and totals that are the sum', async () => {
    const sample = await nextSample(host(), () => true)
    const cli = await dockerStats(IDLE)
    const idle = find(sample, IDLE)!
    expect(idle.memoryBytes).toBeGreaterThan(0)
    expect(idle.memoryBytes).toBeLessThanOrEqual(idle.memoryLimitBytes)
    // docker stats rounds to 2 decimals of its unit, and the two readings are a moment apart
    expect(Math.abs(idle.memoryBytes - cli.memory)).toBeLessThanOrEqual(Math.max(cli.memory * 0.1, 64 * 1024))
    expect(Math.abs(idle.memoryLimitBytes - cli.limit) / cli.limit).toBeLessThan(0.01)
    expect(idle.pids).toBe(cli.pids)
    expect(idle.networkRxBytes + idle.networkTxBytes).toBe(0) // --network none: only loopback
    const sum = (key: 'memoryBytes' | 'pids') => sample.containers.reduce((n, c) => n + c[key], 0)
    expect(sample.totals.memoryBytes).toBe(sum('memoryBytes'))
    expect(sample.totals.pids).toBe(sum('pids'))
    expect(sample.totals.cpuPercent).toBeCloseTo(sample.containers.reduce((n, c) => n + (c.cpuPercent ?? 0), 0), 5)
  })

  it('adds a container started during the subscription and drops it once stopped', async () => {
    await docker(h1, 'run', '-d', '--name', LATE, '--network', 'none', lab.image, 'sleep', '1000000')
    const withLate = await nextSample(host(), (s) => find(s, LATE) !== undefined)
    expect(find(withLate, LATE)!.source).toBe(source())
    await docker(h1, 'rm', '-f', LATE)
    await nextSample(host(), (s) => find(s, LATE) === undefined && find(s, BUSY) !== undefined)
  })

  it('stops sending samples after stats.unsubscribe', async () => {
    expect(await call(t.core, 'stats.unsubscribe', { hostId: host() })).toEqual({ subscribed: false })
    await new Promise((r) => setTimeout(r, 300)) // a sample already on the wire may still land
    const count = samplesOf(host()).length
    await new Promise((r) => setTimeout(r, SAMPLE_INTERVAL_MS * 3))
    expect(samplesOf(host()).length).toBe(count)
  })
})

describe('bad input', () => {
  it('refuses an interval out of range with a message that names it', async () => {
    expect(await t.core.invoke('stats.subscribe', { hostId: 'local', intervalMs: 10 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('interval is at least 500 ms') },
    })
  })
})

describe('in the window', () => {
  let app: WebApp | undefined
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('shows live CPU and memory columns, the host totals and a chart in the details', async () => {
    // this computer's host, pointed at h1's engine: it connects by itself
    app = await startWebApp({ DOCKER_HOST: h1.dockerHost })
    browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(app.url)
    await expect.poll(() => page.locator(`[data-host="${hostname()}"]`).getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    const busyCpu = page.locator(`tr[data-container="${BUSY}"] [data-stat="cpu"]`)
    await expect.poll(async () => parseFloat((await busyCpu.textContent().catch(() => '')) ?? ''), { timeout: SAMPLE_WAIT_MS }).toBeGreaterThan(BUSY_AT_LEAST_PERCENT)
    expect(await page.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['CPU %', 'Memory']))
    expect(await page.locator(`tr[data-container="${IDLE}"] [data-stat="memory"]`).textContent()).toMatch(/^[\d.]+(B|kB|MB) \/ [\d.]+GB$/)
    // stopped containers have no figures
    expect(await page.locator('tr[data-container="job"] [data-stat="cpu"]').textContent()).toBe('')
    expect(parseFloat((await page.locator('[data-total="cpu"]').textContent()) ?? '')).toBeGreaterThan(BUSY_AT_LEAST_PERCENT)
    await page.locator(`tr[data-container="${BUSY}"] th button`).click()
    const chart = page.locator('section.details svg[aria-label^="CPU over the last"] polyline')
    await expect.poll(async () => ((await chart.getAttribute('points').catch(() => null)) ?? '').split(' ').length, { timeout: SAMPLE_WAIT_MS }).toBeGreaterThan(2)
    expect(await page.locator('section.details [data-stat="source"]').textContent()).toBe('cgroup files')
    await page.screenshot({ path: join(import.meta.dirname, '../../out/screenshots/stats.png') })
  })
})
