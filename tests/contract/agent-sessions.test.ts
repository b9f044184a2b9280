/**
 * session.*: terminals in containers through the engine's hijacked exec and attach connections.
 * Output comes on the session's stream, keys go back on it; the session outlives the connection
 * that opened it and is resumed from another.
 */
import { describe, expect, it } from 'vitest'
import type { SessionInfo, TerminalSpec } from '../../protocol/schema'
import { agentForEachTest, type AgentClient } from './fake-engine/agent'
import { idFor } from './fake-engine/fixtures'

const agent = agentForEachTest()

/** Opens a session as main does and watches its stream: what a terminal window shows. */
async function open(spec: Omit<TerminalSpec, 'cols' | 'rows'> & { cols?: number; rows?: number }, client: AgentClient = agent.client) {
  const opened = await client.call('session.open', { cols: 120, rows: 40, ...spec })
  return { opened, ...watch(client, opened.streamId) }
}

function watch(client: AgentClient, streamId: number) {
  const stream = client.peer.acceptStream(streamId)
  let text = ''
  stream.on('data', (chunk) => (text += chunk.toString('utf8')))
  const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()))
  return {
    stream,
    ended,
    screen: () => text,
    /** Keys ride the session's own stream, as the window's keystrokes do. */
    type: (keys: string) => stream.write(Buffer.from(keys)),
    shows: (wanted: string) => expect.poll(() => text, { timeout: 3_000 }).toContain(wanted),
  }
}

const ended = (id: string) => agent.client.nextEvent<SessionInfo>('session.ended', (e) => e.sessionId === id)

describe('exec sessions', () => {
  it("opens the container's shell (bash where it has one) at the window's size, and keys and output flow", async () => {
    const t = await open({ kind: 'exec', container: 'web' })
    expect(t.opened).toMatchObject({ kind: 'exec', title: 'web: /bin/bash', container: 'web', command: ['/bin/bash'], tty: true, state: 'live' })
    const created = JSON.parse(agent.engine.requested('POST', `/containers/${idFor('web')}/exec`)[0]!.body.toString('utf8'))
    expect(created).toMatchObject({ Cmd: ['/bin/bash'], Tty: true, AttachStdin: true, ConsoleSize: [40, 120] })
    expect(created.Env).toEqual(expect.arrayContaining(['TERM=xterm-256color', expect.stringMatching(/^BERTH_SESSION=/)]))
    await t.shows('/ # ')
    t.type('echo hello\r')
    await t.shows('echo hello\r\nhello\r\n/ # ')
    t.type('exit 3\r')
    expect(await ended(t.opened.sessionId)).toMatchObject({ state: 'exited', exitCode: 3 })
    await t.ended
  })

  it('opens sh in an image without bash, and runs a command given instead of a shell', async () => {
    expect((await open({ kind: 'exec', container: 'shell' })).opened.command).toEqual(['/bin/sh'])
    const once = await open({ kind: 'exec', container: 'shell', command: ['echo', 'once'], user: 'nobody', workdir: '/tmp', env: ['A=1'] })
    await once.shows('once')
    expect(await ended(once.opened.sessionId)).toMatchObject({ state: 'exited', exitCode: 0 })
    const sent = JSON.parse(agent.engine.requested('POST', /\/exec$/).at(-1)!.body.toString('utf8'))
    expect(sent).toMatchObject({ Cmd: ['echo', 'once'], User: 'nobody', WorkingDir: '/tmp' })
    expect(sent.Env).toContain('A=1')
  })

  it('takes keys from session.input and sizes from session.resize', async () => {
    const t = await open({ kind: 'exec', container: 'web' })
    const sessionId = t.opened.sessionId
    expect(await agent.call('session.resize', { sessionId, cols: 100, rows: 30 })).toEqual({})
    expect(agent.engine.requested('POST', /^\/exec\/.*\/resize$/).map((r) => `${r.query.get('h')}x${r.query.get('w')}`)).toContain('30x100')
    expect(await agent.call('session.input', { sessionId, data: 'stty size\r' })).toEqual({})
    await t.shows('30 100\r\n')
  })

  it('refuses a paused or stopped container, saying what to do', async () => {
    await expect(agent.call('session.open', { kind: 'exec', container: 'cache', cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'cache is paused: unpause it to open a terminal in it',
    })
    await expect(agent.call('session.open', { kind: 'exec', container: 'db', cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'db is not running (exited): start it to open a terminal in it',
    })
  })

  it('refuses a host shell on a connection that has none (agentless mode)', async () => {
    await expect(agent.call('session.open', { kind: 'host', cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: 'this connection cannot open a shell on the host' })
  })
})

describe('sessions outlive their connection', () => {
  it('lists sessions, replays their output, and resumes one on another connection from an offset', async () => {
    const t = await open({ kind: 'exec', container: 'web' })
    const sessionId = t.opened.sessionId
    t.type('echo one\r')
    await t.shows('one\r\n/ # ')
    const list = await agent.call('session.list', {})
    expect(list).toEqual([expect.objectContaining({ sessionId, state: 'live', outputBytes: Buffer.byteLength(t.screen()) })])
    expect(await agent.call('session.replay', { sessionId })).toEqual({ data: t.screen(), gapBytes: 0 })

    // main's link drops; it comes back on a new connection and picks up where it was
    const seen = Buffer.byteLength(t.screen())
    agent.client.peer.close()
    const again = await agent.connect()
    const resumed = await again.call('session.resume', { sessionId, fromOffset: seen - 4 })
    expect(resumed).toMatchObject({ sessionId, state: 'live', gapBytes: 0 })
    const view = watch(again, resumed.streamId!)
    await view.shows('/ # ')
    expect(view.screen()).toBe(t.screen().slice(-4))
    view.type('echo two\r')
    await view.shows('two\r\n')
  })

  it('hangs the shell up on session.close and forgets the session', async () => {
    const t = await open({ kind: 'exec', container: 'web' })
    const sessionId = t.opened.sessionId
    await t.shows('/ # ')
    expect(await agent.call('session.close', { sessionId })).toEqual({})
    // the engine cannot end an exec: the agent runs a hang-up in the container, as the exec's
    // own user (here the container's: no User), by /bin/sh's path with the system PATH
    await expect.poll(() => agent.engine.requested('POST', /\/exec$/).length).toBe(2)
    const hangUp = JSON.parse(agent.engine.requested('POST', /\/exec$/)[1]!.body.toString('utf8'))
    expect(hangUp).toMatchObject({
      Env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/bin/sh', '-c', expect.stringContaining('kill -HUP'), 'sh', expect.stringMatching(/^BERTH_SESSION=/)],
    })
    expect(hangUp).not.toHaveProperty('User')
    await expect.poll(() => [...agent.state.execs.values()][0]!.exitCode).toBe(129)
    expect(await agent.call('session.list', {})).toEqual([])
    await expect(agent.call('session.replay', { sessionId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`there is no terminal session ${sessionId}`) })
  })
})

describe('attach sessions', () => {
  it("attaches to a TTY container's own shell; its exit stops the container", async () => {
    const t = await open({ kind: 'attach', container: 'shell' })
    expect(t.opened).toMatchObject({ title: 'shell (attached)', command: ['/bin/sh'], tty: true, detachKeys: 'ctrl-p,ctrl-q' })
    expect(agent.engine.requested('POST', /\/attach$/)[0]!.query.get('detachKeys')).toBe('ctrl-p,ctrl-q')
    await t.shows('/ # ')
    t.type('exit 5\r')
    expect(await ended(t.opened.sessionId)).toMatchObject({ state: 'exited', exitCode: 5, message: 'the container stopped (exit code 5)' })
    expect(agent.state.container('shell').State).toMatchObject({ Status: 'exited', ExitCode: 5 })
  })

  it('detaches on the detach keys and leaves the container running', async () => {
    const t = await open({ kind: 'attach', container: 'shell' })
    await t.shows('/ # ')
    t.type('\x10\x11')
    expect(await ended(t.opened.sessionId)).toMatchObject({ state: 'detached', message: 'detached: the container is still running' })
    expect(agent.state.container('shell').State.Running).toBe(true)
  })

  it("shows a container without a TTY: stdout and stderr from the engine's frames, both on the screen", async () => {
    const t = await open({ kind: 'attach', container: 'web' })
    expect(t.opened.tty).toBe(false)
    const web = agent.state.container('web')
    agent.state.write(web, 1, '10.0.0.7 - - "GET /health HTTP/1.1" 200')
    agent.state.write(web, 2, '[warn] slow upstream')
    await t.shows('"GET /health HTTP/1.1" 200\n[warn] slow upstream\n')
    await agent.call('containers.stop', { id: 'web' })
    expect(await ended(t.opened.sessionId)).toMatchObject({ state: 'exited', exitCode: 0 })
  })
})
