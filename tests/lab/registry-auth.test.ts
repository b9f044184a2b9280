/**
 * A private registry that wants a login: test login from a host, push with the login kept in
 * Berth (never written in clear, never sent to another registry), and a push without one
 * refused plainly. The registry is this test's own: docker-registry with htpasswd on the lab
 * bridge (the lab's engines trust the whole lab network as insecure registries).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const address = `${lab.registry.split(':')[0]}:5001`
const user = 'berth-ci'
const password = `pw-${process.pid}-s3cret`
const image = `${address}/team/app:1`
const dir = mkdtempSync(join(tmpdir(), 'berth-authreg-'))
let registry: ChildProcess
let t: TestCore
let view: HostView

beforeAll(async () => {
  execFileSync('htpasswd', ['-Bbc', join(dir, 'htpasswd'), user, password], { stdio: 'ignore' })
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${address}\nauth:\n  htpasswd:\n    realm: berth-lab\n    path: ${dir}/htpasswd\n`,
  )
  registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('curl', ['-s', '-o', '/dev/null', `http://${address}/v2/`])
      break
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  await docker(h1, 'tag', lab.image, image)
  t = await startCore()
  view = await connectLabHost(t.core, lab, h1)
})
afterAll(async () => {
  await t?.core.close()
  registry?.kill()
  await docker(h1, 'rmi', image).catch(() => {})
})

const catalog = () => execFileSync('curl', ['-s', '-u', `${user}:${password}`, `http://${address}/v2/_catalog`], { encoding: 'utf8' })

describe('a registry that wants a login', () => {
  it('refuses a push without a login, saying which registry wants one', async () => {
    const refused = await t.core.invoke('images.push', { hostId: view.id, pushId: 'p0', reference: image })
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', message: expect.stringContaining(`Log in to ${address}`) } })
    expect(catalog()).not.toContain('team/app')
  })

  it('tests a login from the host: a wrong password is refused, the right one kept', async () => {
    const wrong = await t.core.invoke('registries.login', { hostId: view.id, domain: address, username: user, password: 'wrong' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } })
    expect(await call(t.core, 'registries.list', {})).toEqual([])
    const ok = await call(t.core, 'registries.login', { hostId: view.id, domain: address, username: user, password })
    expect(ok).toMatchObject({ domain: address, username: user, saved: false, status: expect.stringMatching(/Login Succeeded/i) })
    expect(JSON.stringify(await call(t.core, 'registries.list', {}))).not.toContain(password)
  })

  it('pushes with the login, with progress per layer, and the registry has the image', async () => {
    const pushed = await call(t.core, 'images.push', { hostId: view.id, pushId: 'p1', reference: image })
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(catalog()).toContain('team/app')
    const progress = t.events.filter((e) => e.event === 'push.progress' && e.payload.pushId === 'p1').map((e) => e.payload)
    expect(progress.some((p) => p.layer !== undefined && /Pushed|Layer already exists/.test(String(p.status)))).toBe(true)
    expect(JSON.parse(await docker(h1, 'image', 'inspect', '-f', '{{json .RepoDigests}}', image))).toContain(`${address}/team/app@${pushed.digest}`)
  })

  it('pulls from the registry with the kept login, sent by main whatever the window passes', async () => {
    await docker(h1, 'rmi', image)
    const pulled = await call(t.core, 'images.pull', {
      hostId: view.id,
      pullId: 'pl1',
      reference: image,
      // a window cannot send its own credentials along: main replaces them with the login it keeps
      auth: { username: 'someone', password: 'else', serveraddress: 'elsewhere.example' },
    })
    expect(pulled.reference).toContain('team/app')
    expect(await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', image)).toMatch(/^sha256:/)
  })

  it('never writes the password in clear, and forgets it on logout', async () => {
    const search = execFileSync('bash', ['-c', `grep -rl -- '${password}' '${t.dataDir}' '${t.home}' /home/${h1.user} 2>/dev/null || true`], { encoding: 'utf8' })
    expect(search.trim()).toBe('')
    await call(t.core, 'registries.logout', { domain: address })
    expect(await call(t.core, 'registries.list', {})).toEqual([])
    // without the login the registry refuses the pull
    await docker(h1, 'rmi', image)
    expect(await t.core.invoke('images.pull', { hostId: view.id, pullId: 'pl2', reference: image })).toMatchObject({ ok: false })
    await docker(h1, 'tag', lab.image, image)
    expect(readFileSync(join(dir, 'htpasswd'), 'utf8')).toContain(user)
  })
})
