/**
 * The installer on a host whose CPU Berth has no node-pty build for (ppc64le, riscv64, 386):
 * the agent still goes on (exec, attach and everything else work without node-pty), and a
 * host shell there says which CPU it is, in Docker's words, and what still works.
 * The "host" is a temporary home on this machine, reached through a connection that runs
 * the installer's commands with sh and its uploads with the file system, as SSH and SFTP would.
 */
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hostShellUnavailableMessage } from '../../agent/terminals/host-shell'
import { nodePlatform } from '../../protocol/platform'
import { type AgentBundle, agentInstallDir, installAgent, type RemotePlatform } from '../../main/core/hosts/agent-installer'
import { shHost, testBundle } from '../support/sh-host'

/** Runs what the installer sends through `sh -c` here; counts the files it uploads. */
const localConnection = () => shHost(join(work, 'home'))

let work = ''
let bundle: AgentBundle
const agentText = '#!/usr/bin/env node\n// a stand-in agent bundle\n'
const ptyBuilds: Record<string, string> = { x64: 'x64 addon', arm64: 'arm64 addon', arm: 'armv7 addon' }

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-installer-cpu-'))
  // a bundle as scripts/build-agent.mjs leaves it, with node-pty for the three CPUs Berth builds
  bundle = await testBundle(work, '9.9.9-cpu-test', agentText, ptyBuilds)
  await mkdir(join(work, 'home'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

function host(nodeArch: string, machine: string): RemotePlatform {
  return { machine, nodeArch, nodeVersion: '20.11.0', home: join(work, 'home') }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

describe('installing the agent on a CPU without a node-pty build', () => {
  it.each([
    { nodeArch: 'ppc64', machine: 'ppc64le' },
    { nodeArch: 'riscv64', machine: 'riscv64' },
    { nodeArch: 'ia32', machine: 'i686' },
  ])('installs the agent alone on $machine, and only once', { timeout: 30_000 }, async ({ nodeArch, machine }) => {
    const platform = host(nodeArch, machine)
    const { conn, uploads } = localConnection()
    const dir = agentInstallDir(platform, bundle)
    expect(dir).toBe(join(work, `home/.berth/agent/9.9.9-cpu-test-linux-${nodeArch}`))

    expect(await installAgent(conn, bundle, platform)).toEqual({ path: `${dir}/agent.cjs`, uploaded: true })
    expect(await readFile(`${dir}/agent.cjs`, 'utf8')).toBe(agentText)
    expect(await exists(`${dir}/build/Release/pty.node`)).toBe(false)
    expect(uploads).toHaveLength(1)
    expect((await stat(dir)).mode & 0o777).toBe(0o700)

    // no addon to upload is not something missing: the next connection installs nothing
    expect(await installAgent(conn, bundle, platform)).toEqual({ path: `${dir}/agent.cjs`, uploaded: false })
    expect(uploads).toHaveLength(1)
  })

  it('puts the CPU\'s addon where the bundle loads it on a CPU Berth builds for', { timeout: 30_000 }, async () => {
    const platform = host('arm', 'armv7l')
    const { conn, uploads } = localConnection()
    const dir = agentInstallDir(platform, bundle)
    await installAgent(conn, bundle, platform)
    expect(await readFile(`${dir}/build/Release/pty.node`, 'utf8')).toBe('armv7 addon')
    expect(uploads).toHaveLength(2)
  })
})

describe('a host shell on a CPU without a node-pty build', () => {
  it.each([
    ['ppc64', undefined, 'linux/ppc64le'],
    ['riscv64', undefined, 'linux/riscv64'],
    ['ia32', undefined, 'linux/386'],
    ['s390x', undefined, 'linux/s390x'],
    ['x64', undefined, 'linux/amd64'],
    ['arm64', undefined, 'linux/arm64'],
    ['arm', '7', 'linux/arm/v7'],
    ['arm', '6', 'linux/arm/v6'],
  ])('names Node\'s %s (arm v%s) as Docker does: %s', (nodeArch, armVersion, platform) => {
    expect(nodePlatform(nodeArch, armVersion)).toBe(platform)
  })

  it('says which CPU has no build, and that container terminals still work', () => {
    const message = hostShellUnavailableMessage(nodePlatform('ppc64'), false, "Cannot find module './build/Release/pty.node'")
    expect(message).toBe(
      'host shells are not available on this host: Berth has no build of node-pty, the terminal library they need, ' +
        'for its CPU (linux/ppc64le). Terminals in containers (exec and attach) and everything else still work.',
    )
  })

  it('gives the loader\'s reason when a build is installed but does not load', () => {
    const reason = "/lib/aarch64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found"
    const message = hostShellUnavailableMessage(nodePlatform('arm64'), true, reason)
    expect(message).toContain(`node-pty's build for its CPU (linux/arm64) did not load: ${reason}.`)
    expect(message).toContain('Terminals in containers (exec and attach) and everything else still work.')
  })
})
