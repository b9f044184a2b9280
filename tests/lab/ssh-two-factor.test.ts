/**
 * Two-factor SSH logins: a time-based one-time code (TOTP, PAM's google-authenticator module,
 * as people set up with an authenticator app) asked by the server mid-login and answered from
 * the window. Two more sshds on lab host h1, each with a PAM service of its own:
 * - port 2223: the password, then the code (PAM: pam_unix, then google-authenticator);
 * - port 2224: a key, then the code (AuthenticationMethods publickey,keyboard-interactive), also
 *   as the ProxyJump hop in front of h2, whose question names itself.
 * The codes come from oathtool with the secret the server holds, as a phone would make them.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { call, SHORT_HANDSHAKE_MS, shortHandshake, startCore, type TestCore } from './support/core'
import { labHost, readLab } from './support/lab'
import { type PamSshd, startPamSshd } from './support/pam-sshd'
import { addHostInWindow } from './support/ui'
import { useWindow } from './support/window'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const code = () => execFileSync('oathtool', ['--totp', '-b', SECRET], { encoding: 'utf8' }).trim()
/** A code that is not the current one (nor, with WINDOW_SIZE 3, the one before or after). */
const wrongCode = () => String((Number(code()) + 500_000) % 1_000_000).padStart(6, '0')

/** The secret file google-authenticator reads, as root (user=root): TOTP, a step either side. */
function totpFile(dir: string): string {
  const file = `${dir}/totp`
  writeFileSync(file, `${SECRET}\n" TOTP_AUTH\n" WINDOW_SIZE 3\n`, { mode: 0o600 })
  return file
}
const authenticator = (service: string) => `auth required pam_google_authenticator.so secret=/run/berth-lab/h1/${service}/totp user=root`

let passwordThenCode: PamSshd
let keyThenCode: PamSshd
let t: TestCore

/** Polls the host until the server's question is shown on it. */
async function promptOf(hostId: string): Promise<NonNullable<HostView['pendingPrompt']>> {
  let prompt: HostView['pendingPrompt']
  await expect
    .poll(async () => (prompt = (await call(t.core, 'hosts.list', {})).find((h) => h.id === hostId)?.pendingPrompt), { timeout: 20_000 })
    .toBeDefined()
  return prompt!
}

beforeAll(async () => {
  passwordThenCode = await startPamSshd(h1, {
    port: 2223,
    service: 'berth-lab-2fa-pw',
    auth: ['auth required pam_unix.so', authenticator('berth-lab-2fa-pw')],
    config: [`AllowUsers ${h1.bareUser}`, 'PubkeyAuthentication no', 'AuthenticationMethods keyboard-interactive'],
    prepare: totpFile,
  })
  keyThenCode = await startPamSshd(h1, {
    port: 2224,
    service: 'berth-lab-2fa-key',
    auth: [authenticator('berth-lab-2fa-key')],
    config: [`AllowUsers ${h1.user}`, 'PubkeyAuthentication yes', 'AuthorizedKeysFile .ssh/authorized_keys', 'AuthenticationMethods publickey,keyboard-interactive', 'Subsystem sftp internal-sftp', 'LogLevel VERBOSE'],
    prepare: totpFile,
  })
  t = await startCore(shortHandshake)
})

afterAll(async () => {
  await t?.core.close()
  passwordThenCode?.stop()
  keyThenCode?.stop()
})

describe('a login that asks for a one-time code', () => {
  it('asks for the code after the password, keeps the password when the code is wrong, and connects with the right one', async () => {
    const view = await call(t.core, 'hosts.add', { name: 'otp-pw', address: h1.address, port: 2223, user: h1.bareUser })
    await t.core.invoke('hosts.connect', { hostId: view.id })
    const first = await t.core.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect(first).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { needsPassword: true } } })

    // the password is answered by Berth; the code is the user's to give, and the login waits
    const withWrong = t.core.invoke('hosts.givePassword', { hostId: view.id, password: h1.barePassword })
    const asked = await promptOf(view.id)
    expect(asked).toMatchObject({ target: `${h1.bareUser}@${h1.address}:2223`, prompts: [{ prompt: 'Verification code: ', echo: false }] })
    await call(t.core, 'hosts.answerPrompt', { hostId: view.id, answers: [wrongCode()] })
    const refused = await withWrong
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } })
    expect(!refused.ok && refused.error.message).toContain('refused the answers given')
    // the password was right: it is not asked for again
    expect(!refused.ok && refused.error.detail?.passwordRefused).toBe(false)

    const again = t.core.invoke('hosts.connect', { hostId: view.id })
    await promptOf(view.id)
    // a user reading the code off a phone takes longer than the handshake's own limit
    await new Promise((r) => setTimeout(r, SHORT_HANDSHAKE_MS + 1_000))
    await call(t.core, 'hosts.answerPrompt', { hostId: view.id, answers: [code()] })
    expect(await again).toMatchObject({ ok: true, result: { state: 'connected' } })
    const after = (await call(t.core, 'hosts.list', {})).find((h) => h.id === view.id)!
    expect(after.pendingPrompt).toBeUndefined()
    expect(passwordThenCode.log()).toMatch(new RegExp(`Accepted keyboard-interactive/pam for ${h1.bareUser}`))
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  }, 60_000)

  it('asks for the code after the key, and a cancel leaves the host disconnected without an error', async () => {
    const view = await call(t.core, 'hosts.add', { name: 'otp-key', address: h1.address, port: 2224, user: h1.user, identityFile: lab.identityFile })
    await t.core.invoke('hosts.connect', { hostId: view.id })
    const cancelled = t.core.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect((await promptOf(view.id)).prompts).toEqual([{ prompt: 'Verification code: ', echo: false }])
    await call(t.core, 'hosts.disconnect', { hostId: view.id })
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { cancelled: true } } })
    const after = (await call(t.core, 'hosts.list', {})).find((h) => h.id === view.id)!
    expect(after).toMatchObject({ state: 'disconnected' })
    expect(after.error).toBeUndefined()

    const again = t.core.invoke('hosts.connect', { hostId: view.id })
    await promptOf(view.id)
    await call(t.core, 'hosts.answerPrompt', { hostId: view.id, answers: [code()] })
    const connected = await again
    expect(connected).toMatchObject({ ok: true, result: { state: 'connected' } })
    // the agent installs and runs as on any host: the second factor changes nothing after the login
    expect(connected.ok && (connected.result as HostView).notice).toBeUndefined()
    expect(connected.ok && (connected.result as HostView).mode).toBe('agent')
    expect(keyThenCode.log()).toMatch(new RegExp(`Partial publickey for ${h1.user}`))
    expect(keyThenCode.log()).toMatch(new RegExp(`Accepted keyboard-interactive/pam for ${h1.user}`))
  }, 60_000)

  it('names the jump host when it is the one asking, and goes on to the host behind it', async () => {
    const h2 = labHost(lab, 'h2')
    const view = await call(t.core, 'hosts.add', {
      name: 'behind-otp', address: h2.address, port: 22, user: h2.user, identityFile: lab.identityFile, proxyJump: `${h1.user}@${h1.address}:2224`,
    })
    // the jump's key was trusted by the test before; h2's is asked about once the jump lets Berth through
    const first = t.core.invoke('hosts.connect', { hostId: view.id })
    expect((await promptOf(view.id)).target).toBe(`${h1.user}@${h1.address}:2224`)
    await call(t.core, 'hosts.answerPrompt', { hostId: view.id, answers: [code()] })
    expect(await first).toMatchObject({ ok: false, error: { code: 'HOST_KEY_UNKNOWN' } })
    const trusted = t.core.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h2.hostKeyFingerprint })
    await promptOf(view.id)
    await call(t.core, 'hosts.answerPrompt', { hostId: view.id, answers: [code()] })
    expect(await trusted).toMatchObject({ ok: true, result: { state: 'connected' } })
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  }, 60_000)

  it('says what is wrong when there is no question to answer, or the count is off', async () => {
    const view = (await call(t.core, 'hosts.list', {})).find((h) => h.name === 'otp-key')!
    const none = await t.core.invoke('hosts.answerPrompt', { hostId: view.id, answers: ['123456'] })
    expect(none).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'otp-key is not asking anything now: connect again' } })
    await call(t.core, 'hosts.disconnect', { hostId: view.id })
    const connecting = t.core.invoke('hosts.connect', { hostId: view.id })
    await promptOf(view.id)
    const tooMany = await t.core.invoke('hosts.answerPrompt', { hostId: view.id, answers: ['1', '2'] })
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'otp-key asked 1 question; 2 answers were given' } })
    await call(t.core, 'hosts.answerPrompt', { hostId: view.id, answers: [code()] })
    expect(await connecting).toMatchObject({ ok: true })
  }, 60_000)
})

describe('the same in the window', () => {
  const ui = useWindow()

  it('shows the server\'s question after the key is trusted, and connects with the code typed in', async () => {
    await addHostInWindow(ui.page, { name: 'otp', address: h1.address, port: 2224, user: h1.user, identityFile: lab.identityFile })
    const keyPrompt = ui.page.getByRole('alertdialog')
    await expect.poll(() => keyPrompt.textContent(), { timeout: 20_000 }).toContain(h1.hostKeyFingerprint)
    await keyPrompt.getByRole('button', { name: 'Trust and connect' }).click()

    const question = ui.page.getByRole('dialog', { name: 'Sign-in question' })
    await expect.poll(() => question.count(), { timeout: 20_000 }).toBe(1)
    expect(await question.textContent()).toContain(`${h1.user}@${h1.address}:2224`)
    const field = question.getByLabel('Verification code')
    // typed like a password: not shown on screen
    expect(await field.getAttribute('type')).toBe('password')
    expect(await question.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true)
    const typed = code()
    await field.fill(typed)
    await ui.page.screenshot({ path: join(import.meta.dirname, '../../out/screenshots/two-factor-prompt.png') })
    await question.getByRole('button', { name: 'Continue' }).click()
    await expect.poll(() => ui.page.locator('[data-host="otp"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    expect(await question.count()).toBe(0)
    // what was typed went to the server once and nowhere else
    expect(ui.app.output()).not.toContain(typed)
  }, 60_000)
})
