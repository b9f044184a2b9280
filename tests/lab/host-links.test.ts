/**
 * Reaching hosts the way people do and staying connected: a host behind a bastion
 * (ProxyJump through another lab host), and a link cut and restored.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { call, connectLabHost, SHORT_HANDSHAKE_MS, shortHandshake, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
const cores: TestCore[] = []
afterAll(async () => {
  for (const c of cores) await c.core.close()
})

describe('a host behind a bastion', () => {
  it('connects through the jump host, checking both host keys', async () => {
    const t = await startCore()
    cores.push(t)
    const view = await call(t.core, 'hosts.add', {
      name: 'h2-behind-h1',
      address: h2.address,
      port: 22,
      user: h2.user,
      identityFile: lab.identityFile,
      proxyJump: `${h1.user}@${h1.address}`,
    })
    // the jump host's key comes first, then the target's, each shown with its own address
    const first = await t.core.invoke('hosts.connect', { hostId: view.id })
    expect(first).toMatchObject({ ok: false, error: { code: 'HOST_KEY_UNKNOWN', detail: { fingerprint: h1.hostKeyFingerprint, address: h1.address } } })
    const second = await t.core.invoke('hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect(second).toMatchObject({ ok: false, error: { code: 'HOST_KEY_UNKNOWN', detail: { fingerprint: h2.hostKeyFingerprint, address: h2.address } } })
    const connected = await call(t.core, 'hosts.trustKey', { hostId: view.id, fingerprint: h2.hostKeyFingerprint })
    expect(connected.state).toBe('connected')
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
    // h2's sshd saw the login come from h1, not from this machine
    const log = readFileSync(`/run/berth-lab/h2/sshd.log`, 'utf8')
    expect(log).toMatch(new RegExp(`Accepted publickey for ${h2.user} from ${h1.address.replace(/\./g, '\\.')} `))
  })

  it('imports a host from ~/.ssh/config, ProxyJump included, and connects as ssh would', async () => {
    const t = await startCore()
    cores.push(t)
    writeFileSync(
      join(t.home, '.ssh/config'),
      `Host lab-bastion\n  HostName ${h1.address}\n  User ${h1.user}\n\nHost lab-inner\n  HostName ${h2.address}\n  User ${h2.user}\n  ProxyJump lab-bastion\n\nHost lab-*\n  IdentityFile ${lab.identityFile}\n`,
    )
    const [bastion, inner] = await call(t.core, 'hosts.importSshConfig', { names: ['lab-bastion', 'lab-inner'] })
    expect(inner).toMatchObject({ address: h2.address, user: h2.user, proxyJump: 'lab-bastion', identityFile: lab.identityFile })
    // the jump names a saved host: its own address and user are used for the hop
    await t.core.invoke('hosts.connect', { hostId: inner!.id })
    await t.core.invoke('hosts.trustKey', { hostId: inner!.id, fingerprint: h1.hostKeyFingerprint })
    const connected = await call(t.core, 'hosts.trustKey', { hostId: inner!.id, fingerprint: h2.hostKeyFingerprint })
    expect(connected.state).toBe('connected')
    // the bastion's key is now known too: it connects with no prompt
    expect(await call(t.core, 'hosts.connect', { hostId: bastion!.id })).toMatchObject({ state: 'connected' })
  })

  it('names the jump host when it cannot be reached', async () => {
    const t = await startCore()
    cores.push(t)
    const view = await call(t.core, 'hosts.add', {
      name: 'behind-nothing',
      address: h2.address,
      user: h2.user,
      identityFile: lab.identityFile,
      proxyJump: `${h1.user}@127.0.0.1:1`,
    })
    const result = await t.core.invoke('hosts.connect', { hostId: view.id })
    expect(result).toMatchObject({ ok: false, error: { code: 'UNREACHABLE', message: expect.stringContaining('jump host 127.0.0.1') } })
  })
})

describe('a dropped link', () => {
  it('is noticed, shown, and reconnected by itself when the link returns', async () => {
    const t = await startCore(shortHandshake)
    cores.push(t)
    const view = await connectLabHost(t.core, lab, h2)
    const veth = `berthlab-${h2.name}`
    const state = async () => (await call(t.core, 'hosts.list', {})).find((h) => h.id === view.id)!
    execFileSync('ip', ['link', 'set', veth, 'down'])
    try {
      const cutAt = Date.now()
      await expect.poll(async () => (await state()).state, { timeout: 20_000, interval: 250 }).not.toBe('connected')
      process.stdout.write(`link loss noticed after ${Date.now() - cutAt} ms\n`)
      const down = await state()
      expect(down.error).toMatchObject({ code: 'UNREACHABLE' })
      // calls fail at once rather than hang
      const started = Date.now()
      expect(await t.core.invoke('containers.list', { hostId: view.id })).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } })
      expect(Date.now() - started).toBeLessThan(1_000)
      // down until a reconnect attempt has run into the handshake's limit: the retries outlast a failed attempt
      await expect.poll(async () => (await state()).error?.code, { timeout: 5 * SHORT_HANDSHAKE_MS, interval: 250 }).toBe('TIMEOUT')
    } finally {
      execFileSync('ip', ['link', 'set', veth, 'up'])
    }
    await expect.poll(async () => (await state()).state, { timeout: 60_000, interval: 500 }).toBe('connected')
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  }, 120_000)
})

describe('an engine that stops', () => {
  it('shows ENGINE_UNAVAILABLE while dockerd is down and recovers when it returns', async () => {
    const t = await startCore()
    cores.push(t)
    const view = await connectLabHost(t.core, lab, h2)
    const host = async () => (await call(t.core, 'hosts.list', {})).find((h) => h.id === view.id)!
    const engineScript = join(import.meta.dirname, 'engine.sh')
    execFileSync('bash', [engineScript, 'stop', h2.name])
    try {
      await expect.poll(async () => (await host()).engineAvailable, { timeout: 15_000 }).toBe(false)
      expect(await host()).toMatchObject({ state: 'connected', error: { code: 'ENGINE_UNAVAILABLE' } })
      expect(await t.core.invoke('containers.list', { hostId: view.id })).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } })
    } finally {
      execFileSync('bash', [engineScript, 'start', h2.name])
      // the seeded states other tests start from: a restart stopped the running ones
      await docker(h2, 'start', 'web', 'worker', 'frozen')
      await docker(h2, 'pause', 'frozen')
    }
    await expect.poll(async () => (await host()).engineAvailable, { timeout: 30_000 }).toBe(true)
    expect((await host()).error).toBeUndefined()
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  }, 90_000)
})
