/**
 * A host that takes keyboard-interactive authentication only, as servers that log in through
 * PAM often do: a second sshd on lab host h1 (port 2222) with UsePAM and no password or key
 * authentication. Its PAM service is a file of this test's own (pam_unix only): sshd names its
 * PAM service after the program, so it runs through a link with that name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, startCore, type TestCore } from './support/core'
import { labHost, readLab } from './support/lab'
import { type PamSshd, startPamSshd } from './support/pam-sshd'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const PORT = 2222
let sshd: PamSshd
let t: TestCore

beforeAll(async () => {
  sshd = await startPamSshd(h1, {
    port: PORT,
    service: 'berth-lab-kbd',
    auth: ['auth required pam_unix.so'],
    config: [`AllowUsers ${h1.bareUser}`, 'PubkeyAuthentication no'],
  })
  t = await startCore()
})

afterAll(async () => {
  await t?.core.close()
  sshd?.stop()
})

describe('keyboard-interactive authentication', () => {
  it('answers the server\'s password prompt, says when the password is refused, and connects', async () => {
    const view = await call(t.core, 'hosts.add', { name: 'pam-only', address: h1.address, port: PORT, user: h1.bareUser })
    await t.core.invoke('hosts.connect', { hostId: view.id })
    const first = await t.core.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    // the server offers keyboard-interactive alone: Berth asks the window for the password
    expect(first).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { needsPassword: true } } })

    const wrong = await t.core.invoke('hosts.givePassword', { hostId: view.id, password: 'not-it' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { passwordRefused: true } } })
    expect(!wrong.ok && wrong.error.message).toContain('tried keyboard-interactive')

    const connected = await call(t.core, 'hosts.givePassword', { hostId: view.id, password: h1.barePassword })
    expect(connected).toMatchObject({ state: 'connected', mode: 'agentless' })
    // the server's own word on how the login was made
    expect(sshd.log()).toMatch(new RegExp(`Accepted keyboard-interactive/pam for ${h1.bareUser}`))
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  })
})
