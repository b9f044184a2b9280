/**
 * The agent's network methods against h2's real engine (run with --bridge none
 * --iptables=false), each result checked with the docker CLI on that host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h2 = labHost(lab, 'h2')

let t: TestCore
let hostId: string
const networks = ['n-app', 'n-back', 'n-mac', 'n-bad']
const containers = ['n-web', 'n-idle']

async function cleanUp(): Promise<void> {
  await docker(h2, 'rm', '-f', ...containers).catch(() => {})
  for (const n of networks) await docker(h2, 'network', 'rm', n).catch(() => {})
}

beforeAll(async () => {
  await cleanUp()
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h2)).id
})
afterAll(async () => {
  await t?.core.close()
  await cleanUp()
})

const list = () => call(t.core, 'networks.list', { hostId })
const cliInspect = async (name: string) => JSON.parse(await docker(h2, 'network', 'inspect', name))[0]

describe('networks on a remote host', () => {
  it('creates a bridge network with subnet, gateway, IP range, internal and labels, as docker network inspect shows', async () => {
    const made = await call(t.core, 'networks.create', {
      hostId,
      name: 'n-app',
      driver: 'bridge',
      subnet: '10.231.0.0/24',
      gateway: '10.231.0.1',
      ipRange: '10.231.0.128/25',
      internal: true,
      labels: { team: 'storage' },
    })
    const cli = await cliInspect('n-app')
    expect(cli.Id).toBe(made.id)
    expect(cli.Driver).toBe('bridge')
    expect(cli.Internal).toBe(true)
    expect(cli.Labels).toEqual({ team: 'storage' })
    expect(cli.IPAM.Config).toEqual([{ Subnet: '10.231.0.0/24', Gateway: '10.231.0.1', IPRange: '10.231.0.128/25' }])
  })

  it('lists every network the CLI lists, with subnets and attached containers with their IPv4 addresses', async () => {
    await call(t.core, 'networks.create', { hostId, name: 'n-back', subnet: '10.232.0.0/24', gateway: '10.232.0.1' })
    const twice = await t.core.invoke('networks.create', { hostId, name: 'n-back' })
    expect(twice).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('n-back already exists') } })
    await docker(h2, 'run', '-d', '--name', 'n-web', '--network', 'n-app', lab.image, 'sleep', '100000')
    const all = await list()
    const cliNames = (await docker(h2, 'network', 'ls', '--format', '{{.Name}}')).split('\n').sort()
    expect(all.map((n) => n.name).sort()).toEqual(cliNames)
    const app = all.find((n) => n.name === 'n-app')!
    expect(app).toMatchObject({ driver: 'bridge', scope: 'local', internal: true, builtIn: false })
    expect(app.subnets).toEqual([{ subnet: '10.231.0.0/24', gateway: '10.231.0.1', ipRange: '10.231.0.128/25' }])
    const ip = await docker(h2, 'inspect', '-f', '{{(index .NetworkSettings.Networks "n-app").IPAddress}}', 'n-web')
    expect(ip).toMatch(/^10\.231\.0\.(12[89]|1[3-9]\d|2\d\d)$/)
    expect(app.containers).toEqual([expect.objectContaining({ containerName: 'n-web', ipv4Address: ip })])
    expect(all.find((n) => n.name === 'none')).toMatchObject({ builtIn: true, containers: expect.any(Array) })
  })

  it('connects a container with a fixed address and aliases, and disconnects it', async () => {
    await call(t.core, 'networks.connect', { hostId, network: 'n-back', container: 'n-web', ipv4Address: '10.232.0.42', aliases: ['api', 'db'] })
    const fmt = '{{json (index .NetworkSettings.Networks "n-back")}}'
    const endpoint = JSON.parse(await docker(h2, 'inspect', '-f', fmt, 'n-web'))
    expect(endpoint.IPAddress).toBe('10.232.0.42')
    expect(endpoint.Aliases).toEqual(expect.arrayContaining(['api', 'db']))
    const detail = await call(t.core, 'networks.inspect', { hostId, id: 'n-back' })
    expect(detail.containers).toEqual([expect.objectContaining({ containerName: 'n-web', ipv4Address: '10.232.0.42' })])
    await call(t.core, 'networks.disconnect', { hostId, network: 'n-back', container: 'n-web' })
    expect(await docker(h2, 'inspect', '-f', '{{json .NetworkSettings.Networks}}', 'n-web')).not.toContain('n-back')
  })

  it('refuses to remove a network in use, naming the containers, and removes it once free', async () => {
    await docker(h2, 'create', '--name', 'n-idle', '--network', 'n-app', lab.image, 'true')
    const refused = await t.core.invoke('networks.remove', { hostId, id: 'n-app' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', detail: { containers: ['n-idle', 'n-web'] } } })
    expect(!refused.ok && refused.error.message).toContain('n-idle, n-web')
    expect(await docker(h2, 'network', 'ls', '--format', '{{.Name}}')).toContain('n-app')
    await docker(h2, 'rm', '-f', 'n-web', 'n-idle')
    await call(t.core, 'networks.remove', { hostId, id: 'n-app' })
    expect((await docker(h2, 'network', 'ls', '--format', '{{.Name}}')).split('\n')).not.toContain('n-app')
  })

  it('says clearly that this engine cannot make a macvlan network', async () => {
    const answer = await t.core.invoke('networks.create', { hostId, name: 'n-mac', driver: 'macvlan', subnet: '10.233.0.0/24' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringContaining('cannot create a macvlan network') } })
    expect(!answer.ok && answer.error.message).toContain('operation not supported')
    expect((await docker(h2, 'network', 'ls', '--format', '{{.Name}}')).split('\n')).not.toContain('n-mac')
  })

  it('rejects bad addresses with a message naming the field, and creates nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ subnet: '10.234.0.1/24' }, 'subnet: 10.234.0.1/24 has host bits set: the subnet is 10.234.0.0/24'],
      [{ subnet: '10.234.0.0' }, 'subnet: 10.234.0.0 has no prefix length'],
      [{ subnet: '10.234.0.0/24', gateway: '10.235.0.1' }, 'gateway: the gateway 10.235.0.1 is outside the subnet 10.234.0.0/24'],
      [{ subnet: '10.234.0.0/24', gateway: '10.234.0.300' }, 'gateway: 10.234.0.300 is not an IPv4 address'],
      [{ subnet: '10.234.0.0/24', ipRange: '10.234.1.0/25' }, 'ipRange: the IP range 10.234.1.0/25 is not inside the subnet'],
      [{ gateway: '10.234.0.1' }, 'gateway: a gateway or IP range needs a subnet'],
      [{ parent: 'eth0' }, 'parent: a parent interface is for macvlan and ipvlan networks only'],
    ]
    for (const [fields, message] of cases) {
      const answer = await t.core.invoke('networks.create', { hostId, name: 'n-bad', ...fields })
      expect(answer, message).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining(message) } })
    }
    expect((await docker(h2, 'network', 'ls', '--format', '{{.Name}}')).split('\n')).not.toContain('n-bad')
  })
})
