/**
 * Connecting to lab hosts over real SSH: host-key checking, authentication, agent install.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CoreOptions } from '../../main/core/core'
import type { SecretCipher } from '../../main/core/hosts/secret-store'
import { addLabHost, agentDir, call, connectLabHost, startCore, type TestCore } from './support/core'
import { inHost, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
const manifest = JSON.parse(readFileSync(join(agentDir, 'manifest.json'), 'utf8')) as {
  version: string
  sha256: string
  pty: Record<string, { sha256: string }>
}
const cores: TestCore[] = []
afterAll(async () => {
  for (const c of cores) await c.core.close()
})
async function core(env: NodeJS.ProcessEnv = {}, options: Partial<CoreOptions> = {}) {
  const c = await startCore(env, options)
  cores.push(c)
  return c
}

/** A stand-in for the OS keychain: encrypts with a key that never leaves this process. */
function testKeychain(): SecretCipher {
  const key = randomBytes(32)
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString: (data) => {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12))
      d.setAuthTag(data.subarray(12, 28))
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8')
    },
  }
}

describe('host keys', () => {
  it('shows an unknown key with its SHA256 fingerprint and connects once the user trusts it', async () => {
    const { core: c, dataDir, home } = await core()
    const view = await addLabHost(c, lab, h1)
    const first = await c.invoke('hosts.connect', { hostId: view.id })
    expect(first).toMatchObject({ ok: false, error: { code: 'HOST_KEY_UNKNOWN', detail: { fingerprint: h1.hostKeyFingerprint, keyType: 'ssh-ed25519' } } })
    const listed = await call(c, 'hosts.list', {})
    expect(listed[0]).toMatchObject({ state: 'error', pendingHostKey: { fingerprint: h1.hostKeyFingerprint } })

    // a fingerprint other than the one shown is not accepted
    expect(await c.invoke('hosts.trustKey', { hostId: view.id, fingerprint: 'SHA256:forged' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    const connected = await call(c, 'hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect(connected).toMatchObject({ state: 'connected', arch: 'amd64', agentVersion: manifest.version })
    // accepted keys go to Berth's own file, which ssh-keygen can read; ~/.ssh is left alone
    const found = execFileSync('ssh-keygen', ['-F', h1.address, '-f', join(dataDir, 'known_hosts')], { encoding: 'utf8' })
    expect(found).toContain(h1.hostKeyPublic.split(' ')[1])
    expect(existsSync(join(home, '.ssh/known_hosts'))).toBe(false)
  })

  it('refuses a changed key with HOST_KEY_CHANGED naming both fingerprints, the file and the line', async () => {
    const { core: c, home } = await core()
    const other = join(home, 'other_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const otherPub = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
    const otherFingerprint = execFileSync('ssh-keygen', ['-lf', `${other}.pub`], { encoding: 'utf8' }).split(' ')[1]
    const knownHosts = join(home, '.ssh/known_hosts')
    writeFileSync(knownHosts, `# reinstalled since\n${h2.address} ${otherPub}\n`)
    const view = await addLabHost(c, lab, h2)
    const result = await c.invoke('hosts.connect', { hostId: view.id })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'HOST_KEY_CHANGED',
        detail: { expectedFingerprint: otherFingerprint, actualFingerprint: h2.hostKeyFingerprint, knownHostsFile: knownHosts, line: 2 },
      },
    })
    expect(!result.ok && result.error.message).toContain(`expected ${otherFingerprint}`)
    expect(!result.ok && result.error.message).toContain(`got ${h2.hostKeyFingerprint}`)
    const listed = await call(c, 'hosts.list', {})
    expect(listed[0]).toMatchObject({ state: 'error', error: { code: 'HOST_KEY_CHANGED' } })
    expect(listed[0]!.pendingHostKey).toBeUndefined()
  })
})

describe('authentication', () => {
  it('uses ssh-agent when no key file is given', async () => {
    const socket = join(lab.identityFile, '..', `agent-${process.pid}.sock`)
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50))
      execFileSync('ssh-add', ['-q', lab.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } })
      const { core: c } = await core({ SSH_AUTH_SOCK: socket })
      // trust the key first, then connect with nothing but the agent
      const view = await call(c, 'hosts.add', { name: 'via-agent', address: h1.address, port: 22, user: h1.user })
      await c.invoke('hosts.connect', { hostId: view.id })
      const connected = await call(c, 'hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
      expect(connected.state).toBe('connected')
    } finally {
      agent.kill()
    }
  })

  it('honours IdentitiesOnly: with it only the named key is offered, without it the agent is tried first', async () => {
    const socket = join(lab.identityFile, '..', `agent-only-${process.pid}.sock`)
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50))
      execFileSync('ssh-add', ['-q', lab.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } })
      const { core: c, home } = await core({ SSH_AUTH_SOCK: socket })
      // a key the host does not accept: only the agent's key can log in
      const other = join(home, 'id_other')
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
      const only = await call(c, 'hosts.add', { name: 'only', address: h1.address, user: h1.user, identityFile: other, identitiesOnly: true })
      expect(only.identitiesOnly).toBe(true)
      await c.invoke('hosts.connect', { hostId: only.id })
      const refused = await c.invoke('hosts.trustKey', { hostId: only.id, fingerprint: h1.hostKeyFingerprint })
      expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', message: expect.stringContaining(other) } })
      expect(refused.ok ? '' : refused.error.message).not.toContain('ssh-agent')
      const both = await call(c, 'hosts.add', { name: 'both', address: h1.address, user: h1.user, identityFile: other })
      expect(await call(c, 'hosts.connect', { hostId: both.id })).toMatchObject({ state: 'connected' })
    } finally {
      agent.kill()
    }
  })

  it('asks for the passphrase of an encrypted key, keeps it in memory only, and connects', async () => {
    const { core: c, home, dataDir } = await core()
    const key = join(home, 'id_locked')
    const passphrase = 'correct horse battery'
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', key])
    const authorized = `/home/${h1.user}/.ssh/authorized_keys`
    const before = readFileSync(authorized, 'utf8')
    writeFileSync(authorized, before + readFileSync(`${key}.pub`, 'utf8'))
    try {
      const view = await call(c, 'hosts.add', { name: 'locked', address: h1.address, port: 22, user: h1.user, identityFile: key })
      await c.invoke('hosts.connect', { hostId: view.id })
      const first = await c.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
      expect(first).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { needsPassphrase: key } } })
      expect((await call(c, 'hosts.list', {}))[0]).toMatchObject({ pendingPassphrase: { keyFile: key } })

      const wrong = await c.invoke('hosts.unlockKey', { hostId: view.id, keyFile: key, passphrase: 'wrong' })
      expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', message: `that passphrase does not open ${key}` } })
      // a key file other than the one asked for is refused without being read
      expect(await c.invoke('hosts.unlockKey', { hostId: view.id, keyFile: '/etc/shadow', passphrase: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      })

      const connected = await call(c, 'hosts.unlockKey', { hostId: view.id, keyFile: key, passphrase })
      expect(connected.state).toBe('connected')
      // grep exits 1 when no file holds the passphrase
      const search = spawnSync('grep', ['-rl', passphrase, dataDir, home], { encoding: 'utf8' })
      expect(search.stdout).toBe('')
      expect(search.status).toBe(1)
    } finally {
      writeFileSync(authorized, before)
    }
  })

  it('saves a passphrase only when asked, only encrypted by the keychain, and uses it after a restart', async () => {
    const { core: plain, home, dataDir } = await core()
    const key = join(home, 'id_saved')
    const passphrase = 'saved horse battery'
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', key])
    const authorized = `/home/${h1.user}/.ssh/authorized_keys`
    const before = readFileSync(authorized, 'utf8')
    writeFileSync(authorized, before + readFileSync(`${key}.pub`, 'utf8'))
    try {
      const view = await call(plain, 'hosts.add', { name: 'saved', address: h1.address, port: 22, user: h1.user, identityFile: key })
      await plain.invoke('hosts.connect', { hostId: view.id })
      await plain.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
      // the browser shell has no keychain: saving is refused, plainly, and nothing is written
      expect(await call(plain, 'app.capabilities', {})).toEqual({ saveSecrets: false })
      expect(await plain.invoke('hosts.unlockKey', { hostId: view.id, keyFile: key, passphrase, save: true })).toMatchObject({
        ok: false,
        error: { code: 'UNSUPPORTED', message: expect.stringContaining('keychain') },
      })
      expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false)
      await plain.close()

      // the desktop app's keychain (Electron's safeStorage) stood in for by AES-GCM with a key only this test holds
      const cipher = testKeychain()
      const desktop = await core({}, { dataDir, homeDir: home, cipher })
      expect(await call(desktop.core, 'app.capabilities', {})).toEqual({ saveSecrets: true })
      await desktop.core.invoke('hosts.connect', { hostId: view.id })
      const connected = await call(desktop.core, 'hosts.unlockKey', { hostId: view.id, keyFile: key, passphrase, save: true })
      expect(connected.state).toBe('connected')
      const file = join(dataDir, 'secrets.json')
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
      expect(readFileSync(file, 'utf8')).not.toContain(passphrase)
      expect(spawnSync('grep', ['-rl', passphrase, dataDir, home]).status).toBe(1)
      await desktop.core.close()

      // started again: connects with the saved passphrase, asking nothing
      const again = await core({}, { dataDir, homeDir: home, cipher })
      expect(await call(again.core, 'hosts.connect', { hostId: view.id })).toMatchObject({ state: 'connected' })
    } finally {
      writeFileSync(authorized, before)
    }
  })

  it('asks for the password a host wants when no key works, says when it is refused, and connects', async () => {
    // no key file, no agent: only the password can open this login
    const { core: c, dataDir, home } = await core()
    const view = await call(c, 'hosts.add', { name: 'by-password', address: h1.address, port: 22, user: h1.bareUser })
    await c.invoke('hosts.connect', { hostId: view.id })
    const first = await c.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect(first).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { needsPassword: true } } })
    const target = `${h1.bareUser}@${h1.address}:22`
    expect((await call(c, 'hosts.list', {}))[0]).toMatchObject({ pendingPassword: { target, refused: false } })

    const wrong = await c.invoke('hosts.givePassword', { hostId: view.id, password: 'not-it' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', detail: { passwordRefused: true } } })
    expect((await call(c, 'hosts.list', {}))[0]).toMatchObject({ pendingPassword: { target, refused: true } })

    const connected = await call(c, 'hosts.givePassword', { hostId: view.id, password: h1.barePassword })
    expect(connected).toMatchObject({ state: 'connected', mode: 'agentless' })
    const search = spawnSync('grep', ['-rl', h1.barePassword, dataDir, home], { encoding: 'utf8' })
    expect(search.status).toBe(1)
  })

  it('names the keys it tried when the host refuses them', async () => {
    const { core: c, home } = await core()
    const stranger = join(home, 'stranger')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger])
    const view = await call(c, 'hosts.add', { name: 'wrong-key', address: h1.address, port: 22, user: h1.user, identityFile: stranger })
    await c.invoke('hosts.connect', { hostId: view.id })
    const result = await c.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } })
    expect(!result.ok && result.error.message).toContain(`tried ${stranger}`)
  })
})

describe('agent install', () => {
  it('installs into a private per-version directory once, and not again on the next connect', async () => {
    const { core: c } = await core()
    const view = await connectLabHost(c, lab, h2)
    const dir = `/home/${h2.user}/.berth/agent/${manifest.version}-linux-x64`
    const file = `${dir}/agent.cjs`
    for (const d of [`/home/${h2.user}/.berth`, `/home/${h2.user}/.berth/agent`, dir]) {
      expect((statSync(d).mode & 0o777).toString(8), d).toBe('700')
    }
    const owner = execFileSync('stat', ['-c', '%U', file], { encoding: 'utf8' }).trim()
    expect(owner).toBe(h2.user)
    expect(execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]).toBe(manifest.sha256)
    // node-pty's addon for this CPU sits where the bundle loads it, private too
    const pty = `${dir}/build/Release/pty.node`
    expect(execFileSync('sha256sum', [pty], { encoding: 'utf8' }).split(' ')[0]).toBe(manifest.pty.x64?.sha256)
    expect((statSync(pty).mode & 0o777).toString(8)).toBe('600')
    const firstInstall = statSync(file).mtimeMs

    await call(c, 'hosts.disconnect', { hostId: view.id })
    const again = await call(c, 'hosts.connect', { hostId: view.id })
    expect(again.state).toBe('connected')
    expect(statSync(file).mtimeMs).toBe(firstInstall)
  })

  it('bridges to the agent through an exec channel where the SSH server will not forward a socket', async () => {
    // h2's sshd has AllowStreamLocalForwarding no
    const { core: c } = await core()
    const view = await connectLabHost(c, lab, h2)
    expect(view.state).toBe('connected')
    const bridges = execFileSync('pgrep', ['-u', h2.user, '-f', 'agent.cjs --connect'], { encoding: 'utf8' }).trim()
    expect(bridges.length).toBeGreaterThan(0)
  })

  it('runs the agent as the login user with no TCP port open on the host', async () => {
    const { core: c } = await core()
    await connectLabHost(c, lab, h1)
    // the per-user daemon; h1's sshd opens its socket itself, so no bridge process runs there
    const daemons = execFileSync('pgrep', ['-u', h1.user, '-f', 'agent.cjs --daemon'], { encoding: 'utf8' }).trim()
    expect(daemons.length).toBeGreaterThan(0)
    expect(spawnSync('pgrep', ['-u', h1.user, '-f', 'agent.cjs --connect']).status).toBe(1)
    const listening = await inHost(h1, 'ss', '-Hltnp')
    const owners = listening.split('\n').filter(Boolean).map((l) => /users:\(\("([^"]+)"/.exec(l)?.[1])
    expect(owners.every((o) => o === 'sshd' || o === 'dockerd' || o === 'containerd')).toBe(true)
    expect(listening).not.toContain('node')
  })
})
