/**
 * Hosts whose SSH server has no SFTP (Dropbear on DietPi and OpenWrt, an sshd without
 * `Subsystem sftp`) still get the agent: its files go through exec channels instead, with the
 * same sha256 check before anything is moved into place.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AgentBundle, agentInstallDir, installAgent, probeHost } from '../../main/core/hosts/agent-installer'
import { shHost, testBundle } from '../support/sh-host'

let work = ''
let home = ''
let bundle: AgentBundle
const agentText = '// an agent of some size\n'.repeat(20_000)

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-no-sftp-'))
  home = join(work, 'home')
  await mkdir(home)
  bundle = await testBundle(work, '9.9.9-no-sftp', agentText, { [process.arch]: 'addon' })
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('installing on a host without SFTP', { timeout: 30_000 }, () => {
  it('uploads through exec channels, private to the user, and the next connect finds it installed', async () => {
    const { conn, commands, uploads } = shHost(home, { sftp: false })
    const platform = await probeHost(conn, bundle)
    expect(await installAgent(conn, bundle, platform)).toMatchObject({ uploaded: true })
    expect(uploads).toEqual([])
    expect(commands.filter((c) => c.includes('cat > '))).toHaveLength(2)

    const dir = agentInstallDir(platform, bundle)
    expect(await readFile(join(dir, 'agent.cjs'), 'utf8')).toBe(agentText)
    expect(await readFile(join(dir, 'build/Release/pty.node'), 'utf8')).toBe('addon')
    expect((await stat(join(dir, 'agent.cjs'))).mode & 0o777).toBe(0o600)
    // nothing left at the temporary names
    expect((await readdir(dir)).sort()).toEqual(['agent.cjs', 'build'])
    expect(await probeHost(conn, bundle)).toMatchObject({ installed: true })
  })
})
