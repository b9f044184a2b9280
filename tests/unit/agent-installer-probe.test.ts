/**
 * The connect probe: one exec that tells main the host's platform, whether this agent version
 * is installed intact, and whether its daemon answers, so that a warm connect costs one round
 * trip and one Node.js start before the socket opens. The "host" is a temporary home on this
 * machine, reached through a connection that runs commands with sh, as SSH would.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AgentBundle, agentInstallDir, installAgent, loadAgentBundle, probeHost, removeOtherAgentVersions } from '../../main/core/hosts/agent-installer'
import type { SshConnection } from '../../main/core/ssh/connection'

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex')

let work = ''
let home = ''
let bundle: AgentBundle
let server: Server | undefined

/** sh with the temporary home as $HOME; records each command, as each is one SSH round trip. */
function localConnection(): { conn: SshConnection; commands: string[] } {
  const commands: string[] = []
  const conn = {
    exec: (command: string) => {
      commands.push(command)
      return new Promise((resolve) => {
        execFile('sh', ['-c', command], { env: { ...process.env, HOME: home } }, (err, stdout, stderr) =>
          resolve({ code: err ? (err.code as number) : 0, stdout, stderr }),
        )
      })
    },
    sftp: async () => ({
      writeFile: (path: string, data: Buffer, options: { mode: number }, done: (err?: Error) => void) => {
        writeFile(path, data, { mode: options.mode }).then(() => done(), done)
      },
      end: () => {},
    }),
  }
  return { conn: conn as unknown as SshConnection, commands }
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-installer-probe-'))
  home = join(work, 'home')
  await mkdir(home)
  const agentDir = join(work, 'out-agent')
  await mkdir(join(agentDir, `pty/linux-${process.arch}`), { recursive: true })
  await writeFile(join(agentDir, `pty/linux-${process.arch}/pty.node`), 'addon')
  await writeFile(join(agentDir, 'agent.cjs'), '// agent\n')
  const pty = { [process.arch]: { file: `pty/linux-${process.arch}/pty.node`, sha256: sha256('addon') } }
  await writeFile(join(agentDir, 'manifest.json'), JSON.stringify({ version: '9.9.9-probe', sha256: sha256('// agent\n'), file: 'agent.cjs', pty }))
  bundle = await loadAgentBundle(agentDir)
})

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
  await rm(work, { recursive: true, force: true })
})

describe('the connect probe', { timeout: 30_000 }, () => {
  it('finds nothing installed on a new host, and the install then uploads in a fixed number of round trips', async () => {
    const { conn, commands } = localConnection()
    const platform = await probeHost(conn, bundle)
    expect(platform).toMatchObject({ nodeArch: process.arch, nodeVersion: process.versions.node, home })
    expect(platform.installed).toBeUndefined()
    expect(platform.daemonSocket).toBeUndefined()

    commands.length = 0
    expect(await installAgent(conn, bundle, platform)).toMatchObject({ uploaded: true })
    // sha check, mkdir, sha of the uploads, one mv for both files: not one round trip per file
    expect(commands).toHaveLength(4)
  })

  it('knows an intact install, so connecting again sends nothing more before starting the agent', async () => {
    const { conn, commands } = localConnection()
    await installAgent(conn, bundle, await probeHost(conn, bundle))
    commands.length = 0
    const platform = await probeHost(conn, bundle)
    expect(platform.installed).toBe(true)
    expect(platform.daemonSocket).toBeUndefined() // no daemon answers yet
    expect(await installAgent(conn, bundle, platform)).toMatchObject({ uploaded: false })
    expect(commands).toHaveLength(1)
  })

  it('reports the daemon\'s socket when the daemon answers on it', async () => {
    const { conn } = localConnection()
    await installAgent(conn, bundle, await probeHost(conn, bundle))
    const socket = join(agentInstallDir(await probeHost(conn, bundle), bundle), 'agent.sock')
    server = createServer((c) => c.end())
    await new Promise<void>((resolve) => server!.listen(socket, resolve))
    expect((await probeHost(conn, bundle)).daemonSocket).toBe(socket)
  })

  it('treats a changed file as not installed, and the install puts it right', async () => {
    const { conn } = localConnection()
    const first = await probeHost(conn, bundle)
    await installAgent(conn, bundle, first)
    const dir = agentInstallDir(first, bundle)
    await writeFile(join(dir, 'build/Release/pty.node'), 'tampered')
    const platform = await probeHost(conn, bundle)
    expect(platform.installed).toBeUndefined()
    expect(await installAgent(conn, bundle, platform)).toMatchObject({ uploaded: true })
    expect((await probeHost(conn, bundle)).installed).toBe(true)
  })

  it('removes the versions an upgrade left behind, and only folders Berth made', async () => {
    const { conn } = localConnection()
    const platform = await probeHost(conn, bundle)
    const agents = join(home, '.berth/agent')
    await mkdir(join(agents, '0.0.1-old-linux-x64'), { recursive: true })
    await writeFile(join(agents, '0.0.1-old-linux-x64/agent.cjs'), '// old agent\n')
    await writeFile(join(agents, 'notes.txt'), 'not ours to remove')
    await installAgent(conn, bundle, platform)
    await removeOtherAgentVersions(conn, platform, bundle)
    expect((await readdir(agents)).sort()).toEqual([`9.9.9-probe-linux-${process.arch}`, 'notes.txt'])
  })
})
