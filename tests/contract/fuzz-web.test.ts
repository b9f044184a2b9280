/**
 * Fuzz: random params for every method of the renderer's API over the browser shell's
 * WebSocket, and messages that are no calls at all. Behind it a real BerthCore whose hosts'
 * agents are fakes over in-memory pipes (a host added by the fuzz connects to a fake too, so
 * nothing leaves this machine). Every call gets exactly one answer, an envelope with a result or
 * an error value; the socket stays open; nothing crashes, no rejection is left unhandled.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startWebShell } from '../../main/web/web-shell'
import { agentMethods, localMethods } from '../../protocol/schema'
import { coreWithFakeAgents } from '../support/fake-agents'
import { METHOD_EXAMPLES } from '../support/fuzz-examples'
import { fuzzIterations, randomParams, randomValue, Rng, runFuzz } from '../support/fuzz'
import { webLogin } from '../support/web-login'

/** Seeds that once found a failure: they run every time. */
const REGRESSION_SEEDS: number[] = [
  // a message of JSON null took the socket's handler down (an unhandled rejection, no answer)
  994580043,
]
const CALLS = fuzzIterations(10_000) / 4
/** Calls in flight at once on the socket. */
const CONCURRENCY = 8
/** Well under the shell's message limit (1 MiB), which closes the socket. */
const MAX_CALL_CHARS = 256 * 1024
/** Fields that name files on this computer: the fuzz keeps them inside its own folder. */
const PATH_FIELDS = ['path', 'context', 'identityFile', 'keyFile', 'dockerfile']

const staticDir = mkdtempSync(join(tmpdir(), 'berth-fuzz-static-'))

/** A call unanswered this long fails the fuzz with its method and params, rather than the test's timeout. */
const ANSWER_DEADLINE_MS = 20_000

type Reply = { t: string; id?: number; ok?: boolean; error?: { code?: unknown; message?: unknown } }

/** Paths inside the fuzz's folder, whatever the fuzz made of them. */
function confine(params: unknown, sandbox: string): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params
  const out: Record<string, unknown> = { ...(params as Record<string, unknown>) }
  for (const field of PATH_FIELDS) {
    if (field in out) out[field] = join(sandbox, JSON.stringify(out[field]).replace(/[^a-z0-9]/gi, '') || 'x')
  }
  if (typeof out.host === 'object' && out.host !== null) out.host = confine(out.host, sandbox)
  return out
}

async function fuzzWeb(seed: number, calls: number): Promise<void> {
  const rng = new Rng(seed)
  const sandbox = mkdtempSync(join(tmpdir(), 'berth-fuzz-files-'))
  mkdirSync(join(sandbox, 'context'))
  const env = await coreWithFakeAgents(['fake'])
  const hostIds = [env.hosts.fake!.id, 'nope', '']
  const shell = await startWebShell(env.core, { staticDir })
  const origin = new URL(shell.url).origin
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: { Cookie: await webLogin(shell.url), Origin: origin } })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  const waiting = new Map<number, (reply: Reply) => void>()
  let errorsAnswered = 0
  let closedByServer = false
  ws.on('close', () => (closedByServer = true))
  ws.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as Reply
    if (reply.t === 'error') errorsAnswered++
    if (reply.t === 'result' && typeof reply.id === 'number') {
      const settle = waiting.get(reply.id)
      expect(settle, `one answer per call (id ${reply.id})`).toBeDefined()
      waiting.delete(reply.id)
      settle!(reply)
    }
  })
  const methods = [...Object.keys(agentMethods), ...Object.keys(localMethods)]
  let nextId = 1
  let noise = 0
  const call = (method: string, params: unknown): Promise<Reply> => {
    const id = nextId++
    const answered = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} ${JSON.stringify(params)} within ${ANSWER_DEADLINE_MS} ms`)), ANSWER_DEADLINE_MS)
      waiting.set(id, (reply) => {
        clearTimeout(timer)
        resolve(reply)
      })
    })
    const message = JSON.stringify({ t: 'invoke', id, method, params })
    // past its message limit the shell closes the socket (1009), as it should: keep under it
    ws.send(message.length <= MAX_CALL_CHARS ? message : JSON.stringify({ t: 'invoke', id, method, params: {} }))
    return answered
  }
  const one = async (i: number): Promise<void> => {
    if (rng.chance(0.05)) {
      // no call at all: text that is no JSON, binary, or JSON of the wrong shape
      noise++
      ws.send(rng.pick([() => rng.bytes(rng.int(64)), () => 'not json', () => JSON.stringify(randomValue(rng)), () => JSON.stringify({ t: 'invoke', id: 'x' })])())
      return
    }
    const method = i < methods.length ? methods[i]! : rng.chance(0.95) ? rng.pick(methods) : rng.pick(['', 'hosts', 'constructor', '__proto__', 'nope.nope'])
    const params = randomParams(rng, METHOD_EXAMPLES[method] ?? [])
    const withHost = typeof params === 'object' && params !== null && !Array.isArray(params) && rng.chance(0.9) ? { hostId: rng.pick(hostIds), ...params } : params
    const reply = await call(method, confine(withHost, sandbox))
    expect(typeof reply.ok).toBe('boolean')
    if (!reply.ok) expect(reply.error).toMatchObject({ code: expect.any(String), message: expect.any(String) })
  }
  for (let i = 0; i < calls; i += CONCURRENCY) await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => one(i + k)))
  await expect.poll(() => errorsAnswered).toBe(noise)
  // and the socket still serves an ordinary call
  expect(closedByServer).toBe(false)
  await expect(call('hosts.list', {})).resolves.toMatchObject({ ok: true })
  ws.close()
  await shell.close()
  await env.core.close()
}

describe('fuzz: calls over the browser shell', () => {
  it(`answers ${CALLS} calls of every method with random params per seed`, { timeout: 120_000 }, async () => {
    await runFuzz('web', REGRESSION_SEEDS, (seed) => fuzzWeb(seed, CALLS))
  })
})
