/**
 * logs.read and logs.follow against a real lab engine, each page compared with what
 * `docker logs` prints on that host.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogLine } from '../../protocol/schema'
import { call, connectLabHost, type HostParams, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const run = promisify(execFile)

let t: TestCore
let hostId: string
const made: string[] = []

beforeAll(async () => {
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
})
afterAll(async () => {
  await t.core.close()
  if (made.length) await docker(h1, 'rm', '-f', ...made).catch(() => {})
})

/** `docker logs` with its stdout and stderr kept apart, as a user's terminal would get them. */
async function dockerLogs(...args: string[]): Promise<{ stdout: string[]; stderr: string[] }> {
  const { stdout, stderr } = await run('/usr/bin/docker', ['-H', h1.dockerHost, 'logs', ...args])
  const lines = (s: string) => s.split('\n').slice(0, -1).map((l) => l.replace(/\r$/, ''))
  return { stdout: lines(stdout), stderr: lines(stderr) }
}

const of = (lines: LogLine[], stream: LogLine['stream']) => lines.filter((l) => l.stream === stream).map((l) => l.text)

const read = (params: HostParams<'logs.read'>) => call(t.core, 'logs.read', { hostId, ...params })

async function runToEnd(name: string, ...args: string[]): Promise<void> {
  made.push(name)
  await docker(h1, 'run', '-d', '--name', name, '--network', 'none', ...args)
  await docker(h1, 'wait', name)
}

describe('a page of logs', () => {
  const script = 'echo out1; echo err1 >&2; echo out2; sleep 1.2; printf "h\\303\\251llo \\342\\234\\223\\n"; sleep 0.1; echo err2 >&2; echo out3'

  beforeAll(() => runToEnd('log-rw', lab.image, 'sh', '-c', script))

  it('gives stdout and stderr lines apart, as docker logs prints them', async () => {
    const page = await read({ id: 'log-rw' })
    const cli = await dockerLogs('log-rw')
    expect(of(page.lines, 'stdout')).toEqual(cli.stdout)
    expect(of(page.lines, 'stderr')).toEqual(cli.stderr)
    expect(of(page.lines, 'stdout')).toEqual(['out1', 'out2', 'héllo ✓', 'out3'])
    expect(of(page.lines, 'stderr')).toEqual(['err1', 'err2'])
    expect(page).toMatchObject({ truncated: false, tty: false })
  })

  it('reads the last lines like --tail and the later ones like --since', async () => {
    const tail = await read({ id: 'log-rw', tail: 2 })
    const cliTail = await dockerLogs('--tail', '2', 'log-rw')
    expect(tail.lines).toHaveLength(2)
    expect(of(tail.lines, 'stdout')).toEqual(cliTail.stdout)
    expect(of(tail.lines, 'stderr')).toEqual(cliTail.stderr)

    const stamped = await read({ id: 'log-rw', timestamps: true })
    const hello = stamped.lines.find((l) => l.text === 'héllo ✓')!
    expect(hello.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/)
    const since = hello.time!
    const later = await read({ id: 'log-rw', since })
    const cliSince = await dockerLogs('--since', since, 'log-rw')
    expect(of(later.lines, 'stdout')).toEqual(cliSince.stdout)
    expect(of(later.lines, 'stdout')).toEqual(['héllo ✓', 'out3'])
    expect(of(later.lines, 'stderr')).toEqual(['err2'])
    // err2 came 0.1 s after héllo: the fraction of a second must count
    const err2 = stamped.lines.find((l) => l.text === 'err2')!.time!
    const latest = (await read({ id: 'log-rw', since: err2 })).lines.map((l) => l.text)
    expect(latest).toContain('err2')
    expect(latest).not.toContain('héllo ✓')
    // out3 was written just after err2 on the other stream; the engine may stamp it a few
    // microseconds either side, so what counts is that Berth and docker logs agree to the nanosecond
    const cliLatest = await dockerLogs('--since', err2, 'log-rw')
    expect(latest.sort()).toEqual([...cliLatest.stdout, ...cliLatest.stderr].sort())
  })

  it('marks the whole log of a TTY container stdout', async () => {
    await runToEnd('log-tty', '-t', lab.image, 'sh', '-c', 'echo tty1; echo tty2 >&2')
    const page = await read({ id: 'log-tty' })
    expect(page.tty).toBe(true)
    expect(page.lines).toEqual([
      { stream: 'stdout', text: 'tty1' },
      { stream: 'stdout', text: 'tty2' },
    ])
    expect((await dockerLogs('log-tty')).stdout).toEqual(['tty1', 'tty2'])
  })

  it('caps a big log at about 2 MB and says it was cut', async () => {
    // 30,000 lines of 100 characters: about 3 MB
    const line = 'x'.repeat(96)
    await runToEnd('log-big', lab.image, 'sh', '-c', `i=0; while [ $i -lt 30000 ]; do echo "$i ${line}"; i=$((i+1)); done`)
    const page = await read({ id: 'log-big', tail: 100_000 })
    expect(page.truncated).toBe(true)
    const bytes = page.lines.reduce((n, l) => n + l.text.length, 0)
    expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024)
    expect(bytes).toBeGreaterThan(1.5 * 1024 * 1024)
    // the newest lines are the ones kept
    expect(page.lines.at(-1)!.text).toBe(`29999 ${line}`)
    const small = await read({ id: 'log-big', tail: 10 })
    expect(small.truncated).toBe(false)
    expect(small.lines.map((l) => l.text)).toEqual((await dockerLogs('--tail', '10', 'log-big')).stdout)
  })

  it('names the problem for unknown containers and bad parameters', async () => {
    expect(await t.core.invoke('logs.read', { hostId, id: 'log-no-such' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('log-no-such') },
    })
    expect(await t.core.invoke('logs.read', { hostId, id: 'log-rw', tail: -1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('tail') },
    })
  })
})

describe('following logs', () => {
  const eventsOf = (name: string, followId: string) =>
    t.events.filter((e) => e.event === name && e.payload.followId === followId).map((e) => e.payload)
  const textsOf = (followId: string) =>
    eventsOf('logs.lines', followId).flatMap((p) => (p.lines as LogLine[]).map((l) => l.text))

  it('streams new lines, stops on unfollow, and ends when the container stops', async () => {
    made.push('log-tick')
    await docker(h1, 'run', '-d', '--name', 'log-tick', '--network', 'none', lab.image, 'sh', '-c',
      'trap "exit 0" TERM; i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done')
    const { followId } = await call(t.core, 'logs.follow', { hostId, id: 'log-tick', tail: 0 })
    await expect.poll(() => textsOf(followId).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(5)
    expect(textsOf(followId).every((s) => /^tick \d+$/.test(s))).toBe(true)
    expect(await call(t.core, 'logs.unfollow', { hostId, followId })).toEqual({ stopped: true })
    await new Promise((r) => setTimeout(r, 300))
    const afterUnfollow = textsOf(followId).length
    await new Promise((r) => setTimeout(r, 1_000))
    expect(textsOf(followId).length).toBe(afterUnfollow)
    expect(await call(t.core, 'logs.unfollow', { hostId, followId })).toEqual({ stopped: false })

    const second = await call(t.core, 'logs.follow', { hostId, id: 'log-tick', tail: 0 })
    await expect.poll(() => textsOf(second.followId).length, { timeout: 5_000 }).toBeGreaterThan(0)
    await docker(h1, 'stop', '-t', '5', 'log-tick')
    await expect.poll(() => eventsOf('logs.ended', second.followId), { timeout: 5_000 }).toEqual([
      { followId: second.followId, reason: 'stopped', hostId },
    ])
  })

  it('does not send more than the cap when a container floods its log', async () => {
    made.push('log-flood')
    const chunk = 'y'.repeat(1000)
    await docker(h1, 'run', '-d', '--name', 'log-flood', '--network', 'none', lab.image, 'sh', '-c',
      `while :; do echo ${chunk}; done`)
    const { followId } = await call(t.core, 'logs.follow', { hostId, id: 'log-flood', tail: 0 })
    await new Promise((r) => setTimeout(r, 500))
    const before = eventsOf('logs.lines', followId).length
    await new Promise((r) => setTimeout(r, 2_000))
    const window = eventsOf('logs.lines', followId).slice(before)
    await call(t.core, 'logs.unfollow', { hostId, followId })
    const bytes = window.reduce((n, p) => n + JSON.stringify(p).length, 0)
    // 10 batches a second of at most 256 KiB, over 2 s, with a batch of slack
    expect(window.length).toBeLessThanOrEqual(22)
    expect(bytes).toBeLessThanOrEqual(21 * 256 * 1024 * 1.1)
    expect(bytes).toBeGreaterThan(0)
    // the container wrote far more than that: the middle of each batch was skipped
    expect(window.some((p) => (p.skipped as number) > 0)).toBe(true)
  })
})
