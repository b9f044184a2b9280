/**
 * The agent bundle run for real as Raspberry Pis run it: Debian's arm64 (64-bit OS) and
 * armhf (32-bit OS, armv7) Node.js under qemu-user, speaking the protocol on their stdio to
 * a lab engine, installed as the installer lays it out (node-pty's cross-built addon for the
 * CPU at build/Release/pty.node beside the bundle).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Duplex } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BerthError } from '../../protocol/errors'
import type { ContainerSummary, SessionInfo } from '../../protocol/schema'
import { Peer } from '../../protocol/wire/peer'
import { armNode, armNodeCommand, armShell, installAgentLike } from './support/arm-host'
import { agentDir } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const dockerNames = async (): Promise<string[]> => (await docker(h1, 'ps', '-a', '--format', '{{.Names}}')).split('\n')

describe.each([
  { debianArch: 'arm64', nodeArch: 'arm64', machine: 'aarch64' },
  { debianArch: 'armhf', nodeArch: 'arm', machine: 'armv7l' },
] as const)('the agent on $debianArch (qemu-user)', ({ debianArch, nodeArch, machine }) => {
  let child: ChildProcess
  let peer: Peer
  let installDir = ''
  let version = ''
  let stderr = ''

  beforeAll(async () => {
    const node = armNode(debianArch)
    const installed = installAgentLike(agentDir, nodeArch)
    installDir = installed.dir
    version = installed.version
    const [qemu, args] = armNodeCommand(node, installed.agent, '--stdio')
    child = spawn(qemu, args, {
      env: { DOCKER_HOST: h1.dockerHost, PATH: '/usr/bin:/bin', HOME: installDir, SHELL: armShell(debianArch, installDir) },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    // emulated Node starts in seconds, not milliseconds: give its hello time
    peer = new Peer(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), {
      role: 'client',
      version,
      expectVersion: version,
      helloTimeoutMs: 60_000,
    })
  }, 240_000)
  afterAll(() => {
    peer?.close()
    child?.kill()
    if (installDir) rmSync(installDir, { recursive: true, force: true })
  })

  it('says hello with this release, from a Node.js of that CPU', async () => {
    const hello = await peer.ready.catch((err: Error) => {
      throw new Error(`${err.message}; agent stderr: ${stderr}`)
    })
    expect(hello).toMatchObject({ version, role: 'agent' })
    expect(await peer.request('agent.ping', {}, { timeoutMs: 60_000 })).toMatchObject({ version, arch: nodeArch })
  }, 90_000)

  it('lists the lab engine\'s containers as the docker CLI does', async () => {
    // other suites make and remove containers on this shared host meanwhile: what the CLI saw
    // both before and after must be listed, and nothing it never saw
    const before = await dockerNames()
    const listed = ((await peer.request('containers.list', {}, { timeoutMs: 60_000 })) as ContainerSummary[]).map((c) => c.name)
    const after = await dockerNames()
    expect(listed).toEqual(expect.arrayContaining([...before.filter((n) => after.includes(n)), 'web', 'worker', 'frozen']))
    expect(listed.filter((n) => !before.includes(n) && !after.includes(n))).toEqual([])
  }, 90_000)

  it(`opens a host shell in a PTY from node-pty's ${nodeArch} build, which runs what is typed`, async () => {
    const opened = (await peer.request('session.open', { kind: 'host', cols: 80, rows: 24 }, { timeoutMs: 60_000 })) as SessionInfo & {
      streamId: number
    }
    expect(opened).toMatchObject({ kind: 'host', state: 'live', tty: true })
    let screen = ''
    const stream = peer.acceptStream(opened.streamId, { manualAck: true })
    stream.on('data', (data) => {
      screen += data.toString('utf8')
      stream.consumed(data.length)
    })
    // the typed line echoes as `pty-$((6*7))` and `uname -m`: only the shell's run prints these
    await peer.request('session.input', { sessionId: opened.sessionId, data: 'echo pty-$((6*7)); uname -m\r' }, { timeoutMs: 30_000 })
    const answered = new RegExp(`pty-42\\r\\n${machine}\\r\\n`)
    await expect.poll(() => screen, { timeout: 60_000, interval: 200 }).toMatch(answered)

    // a PTY, not a pipe: the shell sees a terminal of the size asked for
    await peer.request('session.input', { sessionId: opened.sessionId, data: 'stty size\r' }, { timeoutMs: 30_000 })
    await expect.poll(() => screen, { timeout: 60_000, interval: 200 }).toMatch(/\r\n24 80\r\n/)

    const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()))
    await peer.request('session.close', { sessionId: opened.sessionId }, { timeoutMs: 30_000 })
    await ended
    const sessions = (await peer.request('session.list', {}, { timeoutMs: 30_000 })) as SessionInfo[]
    expect(sessions.find((s) => s.sessionId === opened.sessionId)?.state ?? 'gone').not.toBe('live')
  }, 180_000)
})

describe('the agent on a CPU Berth has no node-pty build for', () => {
  let child: ChildProcess
  let peer: Peer
  let installDir = ''

  beforeAll(() => {
    // as the installer leaves it on, say, a ppc64le host: the bundle alone, no build/Release
    const installed = installAgentLike(agentDir, process.arch)
    installDir = installed.dir
    rmSync(join(installDir, 'build'), { recursive: true })
    child = spawn(process.execPath, [installed.agent, '--stdio'], {
      env: { DOCKER_HOST: h1.dockerHost, PATH: '/usr/bin:/bin', HOME: installDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    peer = new Peer(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), {
      role: 'client',
      version: installed.version,
      expectVersion: installed.version,
    })
  })
  afterAll(() => {
    peer?.close()
    child?.kill()
    if (installDir) rmSync(installDir, { recursive: true, force: true })
  })

  it('refuses a host shell naming the CPU as Docker does, and what still works', async () => {
    const refused = await peer.request('session.open', { kind: 'host', cols: 80, rows: 24 }).then(
      () => undefined,
      (err: BerthError) => err,
    )
    expect(refused).toMatchObject({ code: 'UNSUPPORTED' })
    expect(refused!.message).toContain(`Berth has no build of node-pty, the terminal library they need, for its CPU (linux/${process.arch === 'x64' ? 'amd64' : process.arch})`)
    expect(refused!.message).toContain('Terminals in containers (exec and attach) and everything else still work.')
  })

  it('still runs docker exec in a container, with a TTY', async () => {
    const spec = { kind: 'exec', container: 'web', command: ['sh', '-c', 'echo exec-$((6*7)); tty'], cols: 80, rows: 24 }
    const opened = (await peer.request('session.open', spec)) as SessionInfo & { streamId: number }
    let screen = ''
    const stream = peer.acceptStream(opened.streamId)
    stream.on('data', (data) => (screen += data.toString('utf8')))
    await expect.poll(() => screen, { timeout: 20_000, interval: 100 }).toMatch(/exec-42\r\n\/dev\/pts\/\d+/)
  })
})
