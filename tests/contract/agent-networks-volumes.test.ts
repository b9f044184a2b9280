/** networks.* and volumes.*: lists with the containers on each, create, remove (refused while in use), connect, prune. */
import { describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'
import { idFor, networkIds } from './fake-engine/fixtures'

const agent = agentForEachTest()

describe('networks', () => {
  it('lists networks by name with their subnets and the containers on each, stopped ones too', async () => {
    const list = await agent.call('networks.list', {})
    expect(list.map((n) => `${n.name} ${n.driver} ${n.builtIn}`)).toEqual(['backend bridge false', 'bridge bridge true', 'host host true', 'none null true'])
    const backend = list.find((n) => n.name === 'backend')!
    expect(backend).toMatchObject({ id: networkIds.backend, subnets: [{ subnet: '172.20.0.0/16', gateway: '172.20.0.1', ipRange: '' }], labels: { 'com.docker.compose.network': 'backend' } })
    expect(backend.containers).toEqual([
      { containerId: idFor('db'), containerName: 'db', ipv4Address: '172.20.0.3', aliases: ['db'] },
      { containerId: idFor('web'), containerName: 'web', ipv4Address: '172.20.0.2', aliases: ['web', 'a3f1c2d4e5b6'] },
    ])
    // one container list for all networks, not one inspect per network
    expect(agent.engine.requested('GET', /^\/networks\/./)).toEqual([])
  })

  it('inspects a network: running containers with their addresses, and its options', async () => {
    const bridge = await agent.call('networks.inspect', { id: 'bridge' })
    expect(bridge).toMatchObject({ name: 'bridge', builtIn: true, attachable: false, enableIPv6: false, options: { 'com.docker.network.bridge.name': 'docker0' } })
    expect(bridge.containers.map((c) => `${c.containerName} ${c.ipv4Address}`)).toEqual(['cache 172.17.0.4', 'shell 172.17.0.5', 'web 172.17.0.2'])
    await expect(agent.call('networks.inspect', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'network nope not found' })
  })

  it('creates a bridge network with the subnet given, refusing a duplicate name', async () => {
    const made = await agent.call('networks.create', { name: 'front', subnet: '10.10.0.0/24', gateway: '10.10.0.1', labels: { tier: 'front' } })
    expect(made.name).toBe('front')
    const body = JSON.parse(agent.engine.requested('POST', '/networks/create')[0]!.body.toString('utf8'))
    expect(body).toMatchObject({ Name: 'front', Driver: 'bridge', CheckDuplicate: true, Internal: false, IPAM: { Driver: 'default', Config: [{ Subnet: '10.10.0.0/24', Gateway: '10.10.0.1' }] }, Labels: { tier: 'front' } })
    expect((await agent.call('networks.inspect', { id: 'front' })).id).toBe(made.id)
    await expect(agent.call('networks.create', { name: 'front' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'network with name front already exists' })
  })

  it("says a macvlan network is unsupported on this host's kernel, in the engine's words", async () => {
    await expect(agent.call('networks.create', { name: 'lan', driver: 'macvlan', parent: 'eth0' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/^this host's engine cannot create a macvlan network: failed to create the macvlan port: operation not supported\. /),
    })
  })

  it('refuses to remove a network in use, naming the containers, and a built-in one', async () => {
    await expect(agent.call('networks.remove', { id: 'backend' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'network backend is in use by containers db, web: disconnect or remove them first',
      detail: { containers: ['db', 'web'] },
    })
    await expect(agent.call('networks.remove', { id: 'host' })).rejects.toMatchObject({ code: 'CONFLICT', message: "host is one of the engine's own networks and cannot be removed" })
    expect(agent.engine.requested('DELETE', '/networks/')).toEqual([])
  })

  it('connects a container with a fixed address and aliases, disconnects it, then removes the network', async () => {
    const made = await agent.call('networks.create', { name: 'front', subnet: '10.10.0.0/24' })
    expect(await agent.call('networks.connect', { network: 'front', container: 'shell', ipv4Address: '10.10.0.7', aliases: ['sh'] })).toEqual({ network: 'front', container: 'shell' })
    expect(JSON.parse(agent.engine.requested('POST', '/networks/front/connect')[0]!.body.toString('utf8'))).toEqual({
      Container: 'shell',
      EndpointConfig: { IPAMConfig: { IPv4Address: '10.10.0.7' }, Aliases: ['sh'] },
    })
    expect((await agent.call('networks.inspect', { id: 'front' })).containers).toEqual([{ containerId: idFor('shell'), containerName: 'shell', ipv4Address: '10.10.0.7', aliases: [] }])
    await agent.call('networks.disconnect', { network: 'front', container: 'shell', force: true })
    expect(await agent.call('networks.remove', { id: 'front' })).toEqual({ id: made.id })
    expect((await agent.call('networks.list', {})).map((n) => n.name)).not.toContain('front')
  })
})

describe('volumes', () => {
  it('lists volumes by name with sizes from the disk usage report and the containers that mount them', async () => {
    const list = await agent.call('volumes.list', {})
    expect(list.map((v) => [v.name, v.sizeBytes, v.containers, v.dangling])).toEqual([
      ['orphan', 0, [], true],
      ['pgdata', 50_331_648, ['db'], false],
      ['web-data', 12_582_912, ['web'], false],
    ])
    expect(list[1]).toMatchObject({ driver: 'local', mountpoint: '/var/lib/docker/volumes/pgdata/_data', labels: { 'com.docker.compose.volume': 'pgdata' } })
  })

  it("creates a volume, and refuses a name in use (the engine would silently hand back the old one)", async () => {
    const made = await agent.call('volumes.create', { name: 'cache-data', labels: { app: 'cache' }, driverOptions: { type: 'tmpfs', device: 'tmpfs' } })
    expect(made).toMatchObject({ name: 'cache-data', driver: 'local', labels: { app: 'cache' }, sizeBytes: null, containers: [], dangling: true })
    await expect(agent.call('volumes.create', { name: 'pgdata' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'a volume named pgdata already exists' })
    expect(agent.engine.requested('POST', '/volumes/create')).toHaveLength(1)
  })

  it("refuses to remove a volume in use, naming who uses it (the engine's 409 names only ids)", async () => {
    const err = await agent.call('volumes.remove', { name: 'pgdata' }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'volume pgdata is in use by container db: remove it first',
      detail: { containers: ['db'], engine: `remove pgdata: volume is in use - [${idFor('db')}]` },
    })
    expect(await agent.call('volumes.remove', { name: 'orphan' })).toEqual({ name: 'orphan' })
    await expect(agent.call('volumes.remove', { name: 'orphan' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'get orphan: no such volume' })
  })

  it('previews the unused volumes and prunes only confirmed names still unused', async () => {
    expect((await agent.call('volumes.prunePreview', {})).map((v) => v.name)).toEqual(['orphan'])
    expect(await agent.call('volumes.prune', { names: ['orphan', 'pgdata'] })).toEqual({
      removed: ['orphan'],
      skipped: [{ id: 'pgdata', reason: 'no longer an unused volume (now in use, or already gone)' }],
      spaceReclaimedBytes: 0,
    })
    expect(agent.state.volumes.has('pgdata')).toBe(true)
  })

  it("lists a container's mounts", async () => {
    expect(await agent.call('volumes.forContainer', { container: 'web' })).toEqual([
      { type: 'volume', name: 'web-data', source: '/var/lib/docker/volumes/web-data/_data', destination: '/usr/share/nginx/html', readOnly: false },
    ])
    await expect(agent.call('volumes.forContainer', { container: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
