/**
 * The connect probe: one exec that tells main the host's platform, whether this agent version
 * is installed intact, and whether its daemon answers, so that a warm connect costs one round
 * trip and one Node.js start before the socket opens. The "host" is a temporary home on this
 * machine, reached through a connection that runs commands with sh, as SSH would.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AgentBundle, agentInstallDir, installAgent, probeHost, removeOtherAgentVersions } from '../../main/core/hosts/agent-installer'
import { shHost, testBundle } from '../support/sh-host'

let work = ''
let home = ''
let bundle: AgentBundle
let server: Server | undefined

const localConnection = () => shHost(home)

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-installer-probe-'))
  home = join(work, 'home')
  await mkdir(home)
  bundle = await testBundle(work, '9.9.9-probe', '// agent\n', { [process.arch]: 'addon' })
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
    await chmod(socket, 0o600) // as the daemon makes it
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
