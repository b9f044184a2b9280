/**
 * Live stats shown in two browser tabs at once: two WebSocket clients of the real browser
 * shell, on one core connected to h1's agent. One tab leaving (unsubscribing, then closing)
 * must not stop the other's samples; the agent must stop sampling once both are gone; and a
 * host that reconnects must send samples again to the tab still watching.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startWebShell, type WebShell } from '../../main/web/web-shell'
import { webLogin } from '../support/web-login'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const INTERVAL_MS = 500
const WAIT_MS = 15_000

/** One browser tab, as far as the shell can tell: a WebSocket carrying the tab's cookie. */
class Tab {
  samples = 0
  private next = 1
  private readonly pending = new Map<number, (m: { ok: boolean; result?: unknown; error?: { message: string } }) => void>()
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { t: string; id?: number; event?: string; payload?: { hostId?: string } }
      if (msg.t === 'event' && msg.event === 'stats.sample' && msg.payload?.hostId === hostId) this.samples++
      if (msg.t === 'result') this.pending.get(msg.id!)?.(msg as never)
    })
  }

  static async open(shell: WebShell): Promise<Tab> {
    const url = new URL(shell.url)
    const ws = new WebSocket(`ws://${url.host}/api`, {
      headers: { Cookie: await webLogin(shell.loginUrl()), Origin: url.origin },
    })
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject))
    return new Tab(ws)
  }

  async invoke(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.next++
    const answer = new Promise<{ ok: boolean; result?: unknown; error?: { message: string } }>((r) => this.pending.set(id, r))
    this.ws.send(JSON.stringify({ t: 'invoke', id, method, params: { hostId, ...params } }))
    const m = await answer
    if (!m.ok) throw new Error(m.error?.message)
    return m.result
  }

  /** Resolves once `count` more samples have arrived. */
  async moreSamples(count: number): Promise<void> {
    const from = this.samples
    await expect.poll(() => this.samples - from, { timeout: WAIT_MS, interval: 100 }).toBeGreaterThanOrEqual(count)
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.close()
    })
  }
}

let t: TestCore
let shell: WebShell
let hostId: string

const samplesAtCore = (): number => t.events.filter((e) => e.event === 'stats.sample' && e.payload.hostId === hostId).length
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
  shell = await startWebShell(t.core, { staticDir: mkdtempSync(join(tmpdir(), 'berth-static-')) })
})
afterAll(async () => {
  await shell?.close()
  await t?.core.close()
})

describe('live stats in two browser tabs', () => {
  let first: Tab
  let second: Tab

  it('sends samples to both tabs while both watch', async () => {
    first = await Tab.open(shell)
    second = await Tab.open(shell)
    expect(await first.invoke('stats.subscribe', { intervalMs: INTERVAL_MS })).toEqual({ intervalMs: INTERVAL_MS })
    expect(await second.invoke('stats.subscribe', { intervalMs: INTERVAL_MS })).toEqual({ intervalMs: INTERVAL_MS })
    await Promise.all([first.moreSamples(2), second.moreSamples(2)])
  })

  it('keeps the first tab fed after the second unsubscribes and closes', async () => {
    expect(await second.invoke('stats.unsubscribe', {})).toEqual({ subscribed: false })
    await first.moreSamples(3)
    await second.close()
    await sleep(300) // the shell hears of the close a moment later
    await first.moreSamples(3)
  })

  it('sends samples to the tab still watching after the host reconnects', async () => {
    await call(t.core, 'hosts.disconnect', { hostId })
    expect(await call(t.core, 'hosts.connect', { hostId })).toMatchObject({ state: 'connected' })
    // the tab does not subscribe again: main takes up its subscription on the new link
    await first.moreSamples(3)
  })

  it('stops the agent sampling once both tabs are gone', async () => {
    await first.close()
    await sleep(INTERVAL_MS * 2) // the close, and a sample already on the wire, may still land
    const count = samplesAtCore()
    await sleep(INTERVAL_MS * 6)
    expect(samplesAtCore()).toBe(count)
  })
})
