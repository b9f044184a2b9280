/**
 * The agent's volume methods against h2's real engine, each result checked with the docker
 * CLI on that host; the prune removes only what the user confirmed from its preview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h2 = labHost(lab, 'h2')

let t: TestCore
let hostId: string
const volumes = ['v-data', 'v-used', 'v-spare1', 'v-spare2', 'v-keep', 'v-late']
const containers = ['v-user', 'v-late-user']

async function cleanUp(): Promise<void> {
  await docker(h2, 'rm', '-f', ...containers).catch(() => {})
  await docker(h2, 'volume', 'rm', '-f', ...volumes).catch(() => {})
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

const list = () => call(t.core, 'volumes.list', { hostId })
const cliVolumes = async () => (await docker(h2, 'volume', 'ls', '-q')).split('\n').filter(Boolean).sort()

describe('volumes on a remote host', () => {
  it('creates a volume with driver options and labels, as docker volume inspect shows', async () => {
    const made = await call(t.core, 'volumes.create', {
      hostId,
      name: 'v-data',
      driverOptions: { type: 'tmpfs', device: 'tmpfs', o: 'size=8m' },
      labels: { team: 'storage' },
    })
    const cli = JSON.parse(await docker(h2, 'volume', 'inspect', 'v-data'))[0]
    expect(made).toMatchObject({ name: 'v-data', driver: 'local', mountpoint: cli.Mountpoint, labels: { team: 'storage' } })
    expect(cli.Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=8m' })
    expect(cli.Labels).toEqual({ team: 'storage' })
    const again = await t.core.invoke('volumes.create', { hostId, name: 'v-data' })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'a volume named v-data already exists' } })
  })

  it('lists every volume with its size from system df, the containers using it and whether it is dangling', async () => {
    await docker(h2, 'volume', 'create', 'v-used')
    await docker(h2, 'run', '--name', 'v-user', '-v', 'v-used:/data', '-v', '/etc:/host-etc:ro', lab.image, 'sh', '-c', 'head -c 300000 /dev/zero > /data/blob')
    const all = await list()
    expect(all.map((v) => v.name).sort()).toEqual(await cliVolumes())
    const used = all.find((v) => v.name === 'v-used')!
    expect(used).toMatchObject({ driver: 'local', containers: ['v-user'], dangling: false })
    // docker system df -v shows the same size, rounded: 300 kB of zeros plus the directory
    const cliSize = await docker(h2, 'system', 'df', '-v', '--format', '{{range .Volumes}}{{.Name}} {{.Size}}\n{{end}}')
    expect(cliSize).toMatch(/v-used 30\dkB/)
    expect(used.sizeBytes).toBeGreaterThanOrEqual(300_000)
    expect(all.find((v) => v.name === 'v-data')).toMatchObject({ containers: [], dangling: true })
    const dangling = (await docker(h2, 'volume', 'ls', '-q', '-f', 'dangling=true')).split('\n').filter(Boolean).sort()
    expect(all.filter((v) => v.dangling).map((v) => v.name).sort()).toEqual(dangling)
  })

  it('shows a container\'s mounts, volumes and bind mounts, with read-only ones marked', async () => {
    const mounts = await call(t.core, 'volumes.forContainer', { hostId, container: 'v-user' })
    const byDest = Object.fromEntries(mounts.map((m) => [m.destination, m]))
    expect(byDest['/data']).toMatchObject({ type: 'volume', name: 'v-used', readOnly: false })
    expect(byDest['/host-etc']).toMatchObject({ type: 'bind', name: '', source: '/etc', readOnly: true })
    const cli = JSON.parse(await docker(h2, 'inspect', '-f', '{{json .Mounts}}', 'v-user')) as Array<{ Destination: string }>
    expect(mounts.map((m) => m.destination).sort()).toEqual(cli.map((m) => m.Destination).sort())
  })

  it('refuses to remove a volume in use, naming the container', async () => {
    const refused = await t.core.invoke('volumes.remove', { hostId, name: 'v-used' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('container v-user') } })
    expect(await cliVolumes()).toContain('v-used')
    await call(t.core, 'volumes.remove', { hostId, name: 'v-data' })
    expect(await cliVolumes()).not.toContain('v-data')
  })

  it('previews exactly the unused volumes and prunes only the confirmed ones still unused', async () => {
    for (const v of ['v-spare1', 'v-spare2', 'v-keep', 'v-late']) await docker(h2, 'volume', 'create', v)
    const preview = await call(t.core, 'volumes.prunePreview', { hostId })
    const dangling = (await docker(h2, 'volume', 'ls', '-q', '-f', 'dangling=true')).split('\n').filter(Boolean).sort()
    expect(preview.map((v) => v.name).sort()).toEqual(dangling)
    expect(preview.map((v) => v.name)).not.toContain('v-used')
    // between preview and confirm, a container starts using v-late
    await docker(h2, 'create', '--name', 'v-late-user', '-v', 'v-late:/x', lab.image, 'true')
    const outcome = await call(t.core, 'volumes.prune', { hostId, names: ['v-spare1', 'v-spare2', 'v-late', 'v-used'] })
    expect(outcome.removed.sort()).toEqual(['v-spare1', 'v-spare2'])
    expect(outcome.skipped.map((s) => s.id).sort()).toEqual(['v-late', 'v-used'])
    const left = await cliVolumes()
    expect(left).not.toContain('v-spare1')
    expect(left).toEqual(expect.arrayContaining(['v-keep', 'v-late', 'v-used']))
  })

  it('rejects a bad volume name before anything is sent', async () => {
    const answer = await t.core.invoke('volumes.create', { hostId, name: '-v bad' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('name: a volume name starts with a letter') } })
    expect(await t.core.invoke('volumes.prune', { hostId, names: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})
