/**
 * A host that takes keyboard-interactive authentication only, as servers that log in through
 * PAM often do: a second sshd on lab host h1 (port 2222) with UsePAM and no password or key
 * authentication. Its PAM service is a file of this test's own (pam_unix only): sshd names its
 * PAM service after the program, so it runs through a link with that name.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { call, startCore, type TestCore } from './support/core'
import { labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const PORT = 2222
const SERVICE = 'berth-lab-kbd'
const pamFile = `/etc/pam.d/${SERVICE}`
const dir = `/run/berth-lab/h1/${SERVICE}`
let t: TestCore

const listening = () =>
  new Promise<boolean>((resolve) => {
    const socket = connect(PORT, h1.address)
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false))
    socket.setTimeout(1000, () => resolve(false))
    socket.once('data', () => socket.destroy())
  })

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  symlinkSync('/usr/sbin/sshd', `${dir}/${SERVICE}`)
  writeFileSync(pamFile, 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_unix.so\n')
  writeFileSync(
    `${dir}/sshd_config`,
    [
      `Port ${PORT}`,
      `ListenAddress ${h1.address}`,
      'HostKey /run/berth-lab/h1/ssh_host_ed25519_key',
      `PidFile ${dir}/sshd.pid`,
      `AllowUsers ${h1.bareUser}`,
      'PermitUserEnvironment PATH',
      'PubkeyAuthentication no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication yes',
      'UsePAM yes',
      `SetEnv DOCKER_HOST=${h1.dockerHost}`,
      'PrintMotd no',
      'PrintLastLog no',
    ].join('\n') + '\n',
  )
  // nsenter --net like the lab's own sshd: `ip netns exec` would remount /sys
  execFileSync('nsenter', [`--net=/run/netns/${h1.netns}`, `${dir}/${SERVICE}`, '-f', `${dir}/sshd_config`, '-E', `${dir}/sshd.log`])
  for (const deadline = Date.now() + 10_000; !(await listening()); ) {
    if (Date.now() > deadline) throw new Error(`the PAM sshd did not listen: ${readFileSync(`${dir}/sshd.log`, 'utf8')}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  t = await startCore()
})

afterAll(async () => {
  await t?.core.close()
  spawnSync('sh', ['-c', `kill "$(cat ${dir}/sshd.pid)"`])
  rmSync(pamFile, { force: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('keyboard-interactive authentication', () => {
  it('answers the server\'s password prompt, says when the password is refused, and connects', async () => {
    const view = await call<HostView>(t.core, 'hosts.add', { name: 'pam-only', address: h1.address, port: PORT, user: h1.bareUser })
    await t.core.invoke('hosts.connect', { hostId: view.id })
    const first = await t.core.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    // the server offers keyboard-interactive alone: Berth asks the window for the password
    expect(first).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { needsPassword: true } } })

    const wrong = await t.core.invoke('hosts.givePassword', { hostId: view.id, password: 'not-it' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { passwordRefused: true } } })
    expect(!wrong.ok && wrong.error.message).toContain('tried keyboard-interactive')

    const connected = await call<HostView>(t.core, 'hosts.givePassword', { hostId: view.id, password: h1.barePassword })
    expect(connected).toMatchObject({ state: 'connected', mode: 'agentless' })
    // the server's own word on how the login was made
    expect(readFileSync(`${dir}/sshd.log`, 'utf8')).toMatch(new RegExp(`Accepted keyboard-interactive/pam for ${h1.bareUser}`))
    expect((await call<unknown[]>(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  })
})
