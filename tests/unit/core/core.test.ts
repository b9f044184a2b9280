import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BerthCore } from '../../../main/core/core'

function makeCore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-core-'))
  // no engine socket here: DOCKER_HOST points nowhere, so no local host appears
  const env = { DOCKER_HOST: `unix://${dataDir}/no-engine.sock` }
  const core = new BerthCore({ dataDir, agentDir: join(dataDir, 'agent'), env, homeDir: dataDir, autoConnect: false })
  return { core, dataDir, env }
}

const h1 = { name: 'build', address: '127.0.0.1', port: 2222, user: 'me' }

describe('BerthCore', () => {
  it('adds a host, lists it and keeps it across restarts in a private file', async () => {
    const { core, dataDir, env } = makeCore()
    await core.start()
    const added = await core.invoke('hosts.add', h1)
    expect(added).toMatchObject({ ok: true, result: { name: 'build', state: 'disconnected', local: false } })
    const file = join(dataDir, 'hosts.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('"address": "127.0.0.1"')

    const again = new BerthCore({ dataDir, agentDir: dataDir, env, homeDir: dataDir, autoConnect: false })
    await again.start()
    const listed = await again.invoke('hosts.list', {})
    expect(listed).toMatchObject({ ok: true, result: [{ name: 'build', port: 2222 }] })
  })

  it('refuses bad host input with a message naming the field, and stores nothing', async () => {
    const { core } = makeCore()
    await core.start()
    const bad = await core.invoke('hosts.add', { ...h1, port: 99999 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!bad.ok && bad.error.message).toContain('port: a port is 1 to 65535')
    const noName = await core.invoke('hosts.add', { ...h1, name: '  ' })
    expect(!noName.ok && noName.error.message).toContain('name: a host needs a name')
    const extra = await core.invoke('hosts.add', { ...h1, password: 'secret' })
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await core.invoke('hosts.list', {})).toEqual({ ok: true, result: [] })
  })

  it('refuses a second host with the same name', async () => {
    const { core } = makeCore()
    await core.start()
    await core.invoke('hosts.add', h1)
    expect(await core.invoke('hosts.add', { ...h1, name: 'BUILD' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('answers unknown methods, unknown hosts and missing hostIds with clear errors', async () => {
    const { core } = makeCore()
    await core.start()
    expect(await core.invoke('containers.nuke', { hostId: 'x' })).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } })
    expect(await core.invoke('containers.list', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await core.invoke('containers.list', { hostId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'there is no host with id nope' },
    })
  })

  it('fails calls to a host that is not connected at once with UNREACHABLE', async () => {
    const { core } = makeCore()
    await core.start()
    const added = await core.invoke('hosts.add', h1)
    const hostId = added.ok ? (added.result as { id: string }).id : ''
    expect(await core.invoke('containers.list', { hostId })).toMatchObject({
      ok: false,
      error: { code: 'UNREACHABLE', message: 'build is not connected' },
    })
  })

  it('reports a host where nothing listens as UNREACHABLE and shows the error on the host', async () => {
    const { core } = makeCore()
    await core.start()
    // a port that was free a moment ago: nothing listens there now
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const port = (server.address() as { port: number }).port
    await new Promise((r) => server.close(r))
    const added = await core.invoke('hosts.add', { ...h1, port })
    const hostId = added.ok ? (added.result as { id: string }).id : ''
    const events: unknown[] = []
    core.onEvent((event, payload) => events.push({ event, payload }))
    const result = await core.invoke('hosts.connect', { hostId })
    expect(result).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } })
    expect(!result.ok && result.error.message).toContain('connection refused')
    expect(events.at(-1)).toMatchObject({ event: 'host.stateChanged', payload: { state: 'error', error: { code: 'UNREACHABLE' } } })
  })

  it('imports chosen hosts from ~/.ssh/config and marks those already added', async () => {
    const { core, dataDir } = makeCore()
    mkdirSync(join(dataDir, '.ssh'))
    writeFileSync(join(dataDir, '.ssh/config'), 'Host bastion\n  HostName 10.1.0.1\n  User ops\nHost pi\n  HostName 10.1.0.7\n  ProxyJump bastion\n  User pi\n')
    await core.start()
    const listed = await core.invoke('hosts.sshConfig', {})
    expect(listed).toMatchObject({ ok: true, result: [{ name: 'bastion', added: false }, { name: 'pi', proxyJump: 'bastion', added: false }] })
    const imported = await core.invoke('hosts.importSshConfig', { names: ['pi'] })
    expect(imported).toMatchObject({ ok: true, result: [{ name: 'pi', address: '10.1.0.7', user: 'pi', proxyJump: 'bastion' }] })
    expect(await core.invoke('hosts.sshConfig', {})).toMatchObject({ ok: true, result: [{ name: 'bastion', added: false }, { name: 'pi', added: true }] })
    expect(await core.invoke('hosts.importSshConfig', { names: ['nope'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await core.invoke('hosts.importSshConfig', { names: ['pi'] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('edits, renames, reorders and removes hosts, keeping each change across restarts', async () => {
    const { core, dataDir, env } = makeCore()
    await core.start()
    const ids: string[] = []
    for (const name of ['alpha', 'beta', 'gamma']) {
      const added = await core.invoke('hosts.add', { ...h1, name })
      ids.push((added as { ok: true; result: { id: string } }).result.id)
    }
    const renamed = await core.invoke('hosts.update', { hostId: ids[1], host: { ...h1, name: 'beta-2', port: 2200, proxyJump: 'alpha' } })
    expect(renamed).toMatchObject({ ok: true, result: { id: ids[1], name: 'beta-2', port: 2200, proxyJump: 'alpha' } })
    expect(await core.invoke('hosts.update', { hostId: ids[1], host: { ...h1, name: 'ALPHA' } })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await core.invoke('hosts.update', { hostId: ids[1], host: { ...h1, port: 0 } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    await core.invoke('hosts.reorder', { hostIds: [ids[2], ids[0]] })
    expect(await core.invoke('hosts.reorder', { hostIds: ['nope'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await core.invoke('hosts.remove', { hostId: ids[0] })).toEqual({ ok: true, result: {} })

    const again = new BerthCore({ dataDir, agentDir: dataDir, env, homeDir: dataDir, autoConnect: false })
    await again.start()
    const listed = await again.invoke('hosts.list', {})
    expect(listed.ok && (listed.result as Array<{ name: string; port: number }>).map((h) => `${h.name}:${h.port}`)).toEqual(['gamma:2222', 'beta-2:2200'])
  })
})
