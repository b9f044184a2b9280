/**
 * Terminals at the core's API, against the lab's real sshd, agent daemon and engines:
 * exec (default shell, sizes, exit codes), attach and detach, host shells, flow control
 * under a flood, and a link cut mid-session that outlasts a reconnect attempt.
 */
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { call, connectLabHost, SHORT_HANDSHAKE_MS, shortHandshake, startCore, type TestCore } from './support/core'
import { docker, inHost, labHost, readLab } from './support/lab'
import { TestTerminal } from './support/terminal'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
let t: TestCore
let host1: HostView
const CTRL_P = '\x10'
const CTRL_Q = '\x11'

beforeAll(async () => {
  t = await startCore()
  host1 = await connectLabHost(t.core, lab, h1)
  await docker(h1, 'rm', '-f', 'term-attach', 'term-noshell').catch(() => {})
  // containers of this file's own: the seeded ones may be stopped by other files meanwhile
  for (const [host, name] of [[h1, 'term-a'], [h1, 'term-b'], [h2, 'term-a']] as const) {
    await docker(host, 'rm', '-f', name).catch(() => {})
    await docker(host, 'run', '-d', '--name', name, '--network', 'none', lab.image, 'sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait')
  }
})
afterAll(async () => {
  await t.core.close()
  await docker(h1, 'rm', '-f', 'term-attach', 'term-noshell', 'term-a', 'term-b').catch(() => {})
  await docker(h2, 'rm', '-f', 'term-a').catch(() => {})
})

describe('exec', () => {
  it('opens the container shell at the given size, falls back to sh, and follows resizes', async () => {
    const term = await TestTerminal.open(t, host1.id, { kind: 'exec', container: 'term-a', cols: 101, rows: 31 })
    // busybox has no bash: the shell is sh
    expect(term.info).toMatchObject({ kind: 'exec', container: 'term-a', command: ['/bin/sh'], state: 'live', tty: true })
    await term.type('echo berth-$((6*7))\r')
    await term.waitFor(/berth-42/)
    await term.type('stty size\r')
    await term.waitFor(/31 101/)
    await term.resize(120, 40)
    const mark = term.text.length
    await term.type('stty size\r')
    await term.waitFor(/40 120/, 10_000, mark)
    await term.type('exit 7\r')
    expect(await term.waitForState('exited')).toMatchObject({ exitCode: 7 })
  })

  it('runs the command, user, directory and environment asked for', async () => {
    const term = await TestTerminal.open(t, host1.id, {
      kind: 'exec',
      container: 'term-a',
      command: ['sh', '-c', 'echo "$(id -u):$(pwd):$GREETING"'],
      user: '1234',
      workdir: '/bin',
      env: ['GREETING=hello there'],
      cols: 80,
      rows: 24,
    })
    await term.waitFor(/1234:\/bin:hello there/)
    expect(await term.waitForState('exited')).toMatchObject({ exitCode: 0 })
  })

  it('hangs up the process when the terminal is closed (the engine itself would leave it running)', async () => {
    const term = await TestTerminal.open(t, host1.id, { kind: 'exec', container: 'term-a', cols: 80, rows: 24 })
    await term.type('sleep 4242\r')
    const sleeping = async () => (await docker(h1, 'top', 'term-a', '-o', 'pid,args')).includes('sleep 4242')
    await expect.poll(sleeping, { timeout: 10_000 }).toBe(true)
    await term.close()
    await expect.poll(sleeping, { timeout: 10_000 }).toBe(false)
  })

  it("hangs up as the exec's own user, through /bin/sh by its path, never as root", async () => {
    const term = await TestTerminal.open(t, host1.id, { kind: 'exec', container: 'term-b', user: '1234', cols: 80, rows: 24 })
    await term.type('sleep 4343\r')
    const sleeping = async () => /\s1234\s+sleep 4343$/m.test(await docker(h1, 'top', 'term-b', '-o', 'pid,user,args'))
    await expect.poll(sleeping, { timeout: 10_000 }).toBe(true)
    const since = String(Math.floor(Date.now() / 1000))
    await term.close()
    await expect.poll(sleeping, { timeout: 10_000 }).toBe(false)
    // the engine's exec_create events name each exec; the daemon keeps a finished one to inspect
    const events = await docker(h1, 'events', '--since', since, '--until', String(Math.ceil(Date.now() / 1000)), '--filter', 'container=term-b', '--filter', 'event=exec_create', '--format', '{{json .Actor.Attributes}}')
    const socket = h1.dockerHost.replace('unix://', '')
    const configs = events
      .split('\n')
      .map((line) => (JSON.parse(line) as { execID: string }).execID)
      .map((id) => JSON.parse(execFileSync('curl', ['-s', '--unix-socket', socket, `http://engine/exec/${id}/json`], { encoding: 'utf8' })).ProcessConfig)
      .filter((config: { arguments: string[] }) => config.arguments.join(' ').includes('kill -HUP'))
    expect(configs).toEqual([expect.objectContaining({ entrypoint: '/bin/sh', user: '1234' })])
  })

  it("shows the engine's own words when the process cannot start", async () => {
    const term = await TestTerminal.open(t, host1.id, { kind: 'exec', container: 'term-a', workdir: '/no/such/dir', cols: 80, rows: 24 })
    await term.waitFor(/no such file or directory/)
    expect(await term.waitForState('exited')).toMatchObject({ exitCode: 126 })
  })

  it('says plainly when a container has no shell, and when it is not running', async () => {
    // an image holding one static binary, named so it runs as `sleep`: no /bin/sh anywhere
    const image = 'term-noshell:1'
    execFileSync('bash', ['-c', `d=$(mktemp -d) && cp "$(command -v busybox)" "$d/sleep" && tar -C "$d" -c sleep | docker -H ${h1.dockerHost} import - ${image} >/dev/null && rm -rf "$d"`])
    await docker(h1, 'run', '-d', '--name', 'term-noshell', image, '/sleep', '3600')
    const none = await t.core.invoke('terminals.open', { hostId: host1.id, spec: { kind: 'exec', container: 'term-noshell', cols: 80, rows: 24 } })
    expect(none).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('term-noshell has no shell') } })
    const stopped = await t.core.invoke('terminals.open', { hostId: host1.id, spec: { kind: 'exec', container: 'job', cols: 80, rows: 24 } })
    expect(stopped).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('job is not running') } })
    const bad = await t.core.invoke('terminals.open', { hostId: host1.id, spec: { kind: 'exec', container: 'term-a', env: ['NOEQUALS'], cols: 80, rows: 24 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('has no "="') } })
  })
})

describe('attach', () => {
  it('attaches to the main process, detaches with the keys and leaves it running; exit stops it', async () => {
    await docker(h1, 'run', '-dit', '--name', 'term-attach', lab.image, 'sh')
    const term = await TestTerminal.open(t, host1.id, { kind: 'attach', container: 'term-attach', cols: 80, rows: 24 })
    expect(term.info).toMatchObject({ kind: 'attach', detachKeys: 'ctrl-p,ctrl-q', tty: true })
    await term.type('echo attached-$((2*21))\r')
    await term.waitFor(/attached-42/)
    await term.type(CTRL_P + CTRL_Q)
    expect(await term.waitForState('detached')).toMatchObject({ message: expect.stringContaining('still running') })
    expect(await docker(h1, 'inspect', '-f', '{{.State.Running}}', 'term-attach')).toBe('true')

    const again = await TestTerminal.open(t, host1.id, { kind: 'attach', container: 'term-attach', cols: 80, rows: 24 })
    await again.type('exit 4\r')
    expect(await again.waitForState('exited')).toMatchObject({ exitCode: 4 })
    expect(await docker(h1, 'inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'term-attach')).toBe('exited 4')
  })
})

describe('host shell', () => {
  it('is a login shell of the connecting user in a real PTY, from node-pty in the agent', async () => {
    const term = await TestTerminal.open(t, host1.id, { kind: 'host', cols: 90, rows: 20 })
    await term.type('echo "$(whoami)@$(tty)"; stty size\r')
    await term.waitFor(new RegExp(`${h1.user}@/dev/pts/\\d+`))
    await term.waitFor(/20 90/)
    await term.close()
  })

  it('is served by a daemon on a socket only this user can reach, with no TCP port', async () => {
    const found = execFileSync('bash', ['-c', `ls -l /home/${h1.user}/.berth/agent/*/agent.sock; stat -c '%a' /home/${h1.user}/.berth/agent/*/`]).toString()
    expect(found).toMatch(new RegExp(`^srw------- .* ${h1.user} `, 'm'))
    expect(found).toMatch(/^700$/m)
    expect(await inHost(h1, 'ss', '-ltnpH')).not.toContain('node')
  })
})

describe('flow control', () => {
  it('holds a flood back while the screen does not keep up, keeps other terminals typing, and stops on Ctrl-C', async () => {
    const flood = await TestTerminal.open(t, host1.id, { kind: 'exec', container: 'term-a', cols: 80, rows: 24 })
    flood.autoAck = false
    await flood.type('yes berth-flood\r')
    await flood.waitFor(/berth-flood\r\nberth-flood/)
    await new Promise((r) => setTimeout(r, 1_000))
    const held = flood.received
    await new Promise((r) => setTimeout(r, 1_000))
    // nothing acknowledged: no more than the agent's window arrives, however fast `yes` is
    expect(flood.received - held).toBeLessThan(64 * 1024)
    expect(flood.received).toBeLessThan(1024 * 1024)

    const other = await TestTerminal.open(t, host1.id, { kind: 'exec', container: 'term-b', cols: 80, rows: 24 })
    const started = Date.now()
    await other.type('echo typed-$((5*5))\r')
    await other.waitFor(/typed-25/, 5_000)
    process.stdout.write(`echo in a second terminal during a flood: ${Date.now() - started} ms\n`)

    flood.autoAck = true
    await flood.ack()
    await flood.type('\x03')
    const mark = flood.text.length
    await flood.type('echo after-$((3*3))\r')
    await flood.waitFor(/after-9/, 15_000, mark)
    await flood.close()
    await other.close()
  })
})

describe('a dropped link', () => {
  it('keeps the session on the host and resumes it with what was printed meanwhile', async () => {
    const t2 = await startCore(shortHandshake)
    try {
      const view = await connectLabHost(t2.core, lab, h2)
      const term = await TestTerminal.open(t2, view.id, { kind: 'exec', container: 'term-a', cols: 80, rows: 24 })
      await term.type('echo pid-$$\r')
      const [, pid] = await term.waitFor(/pid-(\d+)/)
      await term.type('i=0; while [ $i -lt 60 ]; do echo tick-$i; i=$((i+1)); sleep 1; done\r')
      await term.waitFor(/tick-1\r/)
      const veth = `berthlab-${h2.name}`
      const ticks = () => [...term.text.matchAll(/tick-(\d+)\r/g)].map((m) => Number(m[1]))
      const cutAt = Date.now()
      let lastBeforeCut = 0
      let downMs = 0
      execFileSync('ip', ['link', 'set', veth, 'down'])
      try {
        await term.waitForState('reconnecting', 20_000)
        const seenAtCut = term.text
        lastBeforeCut = Math.max(...ticks())
        // down until a reconnect attempt has run into the handshake's limit, the session printing on meanwhile
        const hostError = async () => (await call(t2.core, 'hosts.list', {})).find((h) => h.id === view.id)?.error?.code
        await expect.poll(hostError, { timeout: 5 * SHORT_HANDSHAKE_MS, interval: 250 }).toBe('TIMEOUT')
        expect(term.text).toBe(seenAtCut)
      } finally {
        execFileSync('ip', ['link', 'set', veth, 'up'])
        downMs = Date.now() - cutAt
      }
      await term.waitForState('live', 60_000)
      // every tick is there, those printed while the link was down included, in order: up to
      // one printed after the link came back (one a second)
      await term.waitFor(new RegExp(`tick-${lastBeforeCut + Math.ceil(downMs / 1000) + 1}\\r`), 30_000)
      expect(ticks()).toEqual(ticks().map((_, i) => i))
      expect(term.info.gapBytes).toBeUndefined()
      const mark = term.text.length
      await term.type('\x03echo pid-$$\r')
      await term.waitFor(new RegExp(`pid-${pid}`), 10_000, mark)
      await term.close()
    } finally {
      await t2.core.close()
    }
  }, 150_000)
})
