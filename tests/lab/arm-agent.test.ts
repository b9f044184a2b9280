/**
 * The agent bundle run for real as Raspberry Pis run it: Debian's arm64 (64-bit OS) and
 * armhf (32-bit OS, armv7) Node.js under qemu-user, speaking the protocol on their stdio to
 * a lab engine.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Duplex } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerSummary } from '../../protocol/schema'
import { Peer } from '../../protocol/wire/peer'
import { agentDir } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const manifest = JSON.parse(readFileSync(join(agentDir, 'manifest.json'), 'utf8')) as { version: string }

describe.each([
  { debianArch: 'arm64', nodeArch: 'arm64' },
  { debianArch: 'armhf', nodeArch: 'arm' },
])('the agent on $debianArch (qemu-user)', ({ debianArch, nodeArch }) => {
  let child: ChildProcess
  let peer: Peer
  let stderr = ''

  beforeAll(async () => {
    const out = execFileSync('bash', [join(import.meta.dirname, 'arm-node.sh'), debianArch], { encoding: 'utf8' })
    const [qemu, root, libraryPath] = out.trim().split('\n').at(-1)!.split(' ')
    const args = ['-L', root!, '-E', `LD_LIBRARY_PATH=${libraryPath}`, `${root}/usr/bin/node`, join(agentDir, 'agent.cjs'), '--stdio']
    child = spawn(qemu!, args, {
      env: { DOCKER_HOST: h1.dockerHost, PATH: '/usr/bin:/bin' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    // emulated Node starts in seconds, not milliseconds: give its hello time
    peer = new Peer(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), {
      role: 'client',
      version: manifest.version,
      expectVersion: manifest.version,
      helloTimeoutMs: 60_000,
    })
  }, 240_000)
  afterAll(() => {
    peer?.close()
    child?.kill()
  })

  it('says hello with this release, from a Node.js of that CPU', async () => {
    const hello = await peer.ready.catch((err: Error) => {
      throw new Error(`${err.message}; agent stderr: ${stderr}`)
    })
    expect(hello).toMatchObject({ version: manifest.version, role: 'agent' })
    expect(await peer.request('agent.ping', {}, { timeoutMs: 60_000 })).toMatchObject({ version: manifest.version, arch: nodeArch })
  }, 90_000)

  it('lists the lab engine\'s containers as the docker CLI does', async () => {
    const list = (await peer.request('containers.list', {}, { timeoutMs: 60_000 })) as ContainerSummary[]
    expect(list.map((c) => c.name).sort()).toEqual((await docker(h1, 'ps', '-a', '--format', '{{.Names}}')).split('\n').sort())
  }, 90_000)
})
