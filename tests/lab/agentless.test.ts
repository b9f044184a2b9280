/**
 * A host where the agent cannot run (no Node.js in the login's PATH): Berth says why and
 * works through the host's docker CLI (`docker system dial-stdio`) instead.
 */
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerSummary, HostView } from '../../protocol/schema'
import { call, startCore, type TestCore } from './support/core'
import { TestTerminal } from './support/terminal'
import { containerStatus, docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
let t: TestCore
let view: HostView
const name = 'al-target'

beforeAll(async () => {
  t = await startCore()
  await docker(h1, 'rm', '-f', name).catch(() => {})
  await docker(h1, 'run', '-d', '--name', name, '--network', 'none', lab.image, 'sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait')
  const added = await call(t.core, 'hosts.add', { name: 'bare', address: h1.address, user: h1.bareUser, identityFile: lab.identityFile })
  await t.core.invoke('hosts.connect', { hostId: added.id })
  view = await call(t.core, 'hosts.trustKey', { hostId: added.id, fingerprint: h1.hostKeyFingerprint })
})
afterAll(async () => {
  await t.core.close()
  await docker(h1, 'rm', '-f', name).catch(() => {})
})

describe('agentless mode', () => {
  it('connects without the agent, says why and how to fix it, and installs nothing', () => {
    expect(view).toMatchObject({ state: 'connected', mode: 'agentless', arch: 'amd64' })
    expect(view.notice).toContain('Node.js')
    expect(view.notice).toContain('apt install nodejs')
    expect(existsSync(`/home/${h1.bareUser}/.berth`)).toBe(false)
  })

  it('lists, stops and starts containers through the host docker CLI', async () => {
    const list = await call(t.core, 'containers.list', { hostId: view.id })
    expect(list.map((c) => c.name).sort()).toEqual((await docker(h1, 'ps', '-a', '--format', '{{.Names}}')).split('\n').sort())
    await call(t.core, 'containers.stop', { hostId: view.id, id: name, timeoutSeconds: 5 })
    expect(await containerStatus(h1, name)).toBe('exited')
    await call(t.core, 'containers.start', { hostId: view.id, id: name })
    expect(await containerStatus(h1, name)).toBe('running')
  })

  it('follows the engine events live', async () => {
    await docker(h1, 'pause', name)
    await expect
      .poll(() =>
        t.events.some(
          (e) => e.event === 'container.stateChanged' && e.payload.hostId === view.id && (e.payload.container as ContainerSummary | null)?.state === 'paused',
        ),
      )
      .toBe(true)
    await docker(h1, 'unpause', name)
  })

  it("opens terminals too: exec through the engine's API, a host shell through the SSH server's PTY", async () => {
    const exec = await TestTerminal.open(t, view.id, { kind: 'exec', container: name, cols: 80, rows: 24 })
    await exec.type('echo in-$((40+2))\r')
    await exec.waitFor(/in-42/)
    await exec.close()
    const shell = await TestTerminal.open(t, view.id, { kind: 'host', cols: 70, rows: 21 })
    await shell.type('echo "$(whoami)"; stty size\r')
    await shell.waitFor(new RegExp(`${h1.bareUser}\\r\\n`))
    await shell.waitFor(/21 70/)
    await shell.type('exit 5\r')
    expect(await shell.waitForState('exited')).toMatchObject({ exitCode: 5 })
  })
})
