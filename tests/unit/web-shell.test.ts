/**
 * The browser shell's front door, without a lab: a core stand-in behind the real server.
 * One-time login addresses, per-port cookies, idle sessions, a malformed URL, a tab that
 * stops reading.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { BerthCore } from '../../main/core/core'
import { MAX_BUFFERED_BYTES, startWebShell, type WebShell } from '../../main/web/web-shell'
import { webLogin } from '../support/web-login'

type Listener = (event: string, payload: unknown) => void

function fakeCore() {
  const listeners = new Set<Listener>()
  const core = {
    onEvent: (l: Listener) => (listeners.add(l), () => listeners.delete(l)),
    invoke: async (method: string) => ({ ok: true as const, result: { method } }),
    clientGone: async () => {},
  }
  return { core: core as unknown as BerthCore, emit: (e: string, p: unknown) => listeners.forEach((l) => l(e, p)) }
}

const staticDir = mkdtempSync(join(tmpdir(), 'berth-static-'))
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Berth</title>')

let shell: WebShell | undefined
afterEach(async () => {
  await shell?.close()
  shell = undefined
})

function openSocket(s: WebShell, cookie: string): Promise<WebSocket> {
  const origin = new URL(s.url).origin
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: { Cookie: cookie, Origin: origin } })
  return new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject))
}

describe('the browser shell', () => {
  it('lets each printed address log in once, and the session it made carries on', async () => {
    shell = await startWebShell(fakeCore().core, { staticDir })
    const cookie = await webLogin(shell.url)
    expect(cookie).toMatch(new RegExp(`^berth_session_${shell.port}=`))
    // the token is not the session: the cookie carries something else
    expect(cookie).not.toContain(new URL(shell.url).searchParams.get('token'))
    const again = await fetch(shell.url, { redirect: 'manual' })
    expect(again.status).toBe(401)
    expect(await again.text()).toContain('already used')
    const page = await fetch(new URL(shell.url).origin + '/', { headers: { Cookie: cookie } })
    expect(page.status).toBe(200)
    // another browser asks for a new address; the old session is untouched
    expect(await webLogin(shell.loginUrl())).not.toBe(cookie)
    expect((await fetch(new URL(shell.url).origin + '/', { headers: { Cookie: cookie } })).status).toBe(200)
  })

  it('names its cookie after its port, so two shells never share one', async () => {
    shell = await startWebShell(fakeCore().core, { staticDir })
    const other = await startWebShell(fakeCore().core, { staticDir })
    try {
      const cookie = await webLogin(shell.url)
      const foreign = cookie.replace(`berth_session_${shell.port}`, `berth_session_${other.port}`)
      expect((await fetch(new URL(other.url).origin + '/', { headers: { Cookie: foreign } })).status).toBe(401)
    } finally {
      await other.close()
    }
  })

  it('forgets a session left idle, but not one whose tab is open', async () => {
    shell = await startWebShell(fakeCore().core, { staticDir, sessionIdleMs: 200 })
    const origin = new URL(shell.url).origin
    const idle = await webLogin(shell.loginUrl())
    const open = await webLogin(shell.loginUrl())
    const ws = await openSocket(shell, open)
    await new Promise((r) => setTimeout(r, 400))
    expect((await fetch(origin + '/', { headers: { Cookie: idle } })).status).toBe(401)
    expect((await fetch(origin + '/', { headers: { Cookie: open } })).status).toBe(200)
    ws.close()
  })

  it('answers a malformed percent-encoding with 400 and keeps serving', async () => {
    shell = await startWebShell(fakeCore().core, { staticDir })
    const cookie = await webLogin(shell.url)
    const origin = new URL(shell.url).origin
    expect((await fetch(origin + '/%E0%A4%A', { headers: { Cookie: cookie } })).status).toBe(400)
    expect((await fetch(origin + '/', { headers: { Cookie: cookie } })).status).toBe(200)
  })

  it('answers messages that are JSON but no call (null, a number, a string) with an error, and keeps serving', async () => {
    shell = await startWebShell(fakeCore().core, { staticDir })
    const ws = await openSocket(shell, await webLogin(shell.url))
    const replies: { t: string; id?: number }[] = []
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())))
    // found by the fuzz (tests/contract/fuzz-web.test.ts, seed 994580043): null took the handler down
    for (const noise of ['null', '7', '"x"', '[]']) ws.send(noise)
    ws.send(JSON.stringify({ t: 'invoke', id: 1, method: 'hosts.list', params: {} }))
    await expect.poll(() => replies.length).toBe(5)
    expect(replies.filter((r) => r.t === 'error')).toHaveLength(4)
    expect(replies.find((r) => r.t === 'result')).toMatchObject({ id: 1 })
    ws.close()
  })

  it('cuts loose a tab that stops reading instead of buffering without end', async () => {
    const { core, emit } = fakeCore()
    shell = await startWebShell(core, { staticDir })
    const ws = await openSocket(shell, await webLogin(shell.url))
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    // the tab's socket stops reading: the server's writes pile up in its buffer
    ;(ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const chunk = 'x'.repeat(1024 * 1024)
    for (let i = 0; i < (MAX_BUFFERED_BYTES / chunk.length) * 3; i++) emit('terminal.output', { data: chunk })
    ;(ws as unknown as { _socket: { resume(): void } })._socket.resume()
    expect(await closed).toBe(1013)
  })
})
