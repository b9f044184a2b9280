/**
 * Disk use and confirmed prunes against h2's real engine: the figures `docker system df`
 * prints, and prunes that remove only what the user confirmed from the preview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiskUsage, PruneKind } from '../../protocol/schema'
import { reclaimableText } from '../../renderer/src/features/system/disk-format'
import { humanSize } from '../../renderer/src/ui/units'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h2 = labHost(lab, 'h2')

let t: TestCore
let hostId: string
const containers = ['d-stop1', 'd-stop2', 'd-run', 'd-base', 'd-sized']

async function cleanUp(): Promise<void> {
  await docker(h2, 'rm', '-f', ...containers).catch(() => {})
  await docker(h2, 'rmi', 'd-img:1').catch(() => {})
  await docker(h2, 'volume', 'rm', '-f', 'd-vol').catch(() => {})
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

const exists = async (...args: string[]) => docker(h2, ...args).then(() => true, () => false)
const preview = (kind: PruneKind) => call(t.core, 'system.prunePreview', { hostId, kind })
const quickStop = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait']

describe('disk use on a remote host', () => {
  it('reports what docker system df reports, figure for figure', async () => {
    // a stopped container with a 250 kB writable layer and a volume in use, so the figures are not all zero
    await docker(h2, 'run', '--name', 'd-sized', '-v', 'd-vol:/v', lab.image, 'sh', '-c', 'head -c 250000 /dev/zero > /big; head -c 120000 /dev/zero > /v/f')
    const usage = await call(t.core, 'system.df', { hostId })
    const cli = (await docker(h2, 'system', 'df', '--format', '{{json .}}')).split('\n').map((l) => JSON.parse(l) as Record<string, string>)
    const row = (type: string) => cli.find((r) => r.Type === type)!
    const sections: Array<[keyof DiskUsage, string]> = [['images', 'Images'], ['containers', 'Containers'], ['volumes', 'Local Volumes'], ['buildCache', 'Build Cache']]
    for (const [key, type] of sections) {
      const ours = usage[key]
      expect({ type, total: String(ours.totalCount), active: String(ours.active), size: humanSize(ours.sizeBytes) }).toEqual({
        type,
        total: row(type).TotalCount,
        active: row(type).Active,
        size: row(type).Size,
      })
      expect(reclaimableText(ours.reclaimableBytes, ours.sizeBytes), type).toBe(row(type).Reclaimable)
    }
    const sized = usage.containers.items.find((c) => c.name === 'd-sized')!
    expect(sized).toMatchObject({ state: 'exited', localVolumes: 1 })
    expect(sized.sizeBytes).toBeGreaterThanOrEqual(250_000)
    expect(usage.volumes.items.find((v) => v.name === 'd-vol')).toMatchObject({ links: 1 })
    expect(usage.containers.reclaimableBytes).toBeGreaterThanOrEqual(250_000)
  })

  it('previews every stopped container and removes only the confirmed ones', async () => {
    await docker(h2, 'create', '--name', 'd-stop1', '--network', 'none', lab.image, 'sh', '-c', 'exit 0')
    await docker(h2, 'run', '--name', 'd-stop2', '--network', 'none', lab.image, 'sh', '-c', 'exit 0')
    await docker(h2, 'run', '-d', '--name', 'd-run', '--network', 'none', lab.image, ...quickStop)
    const items = await preview('containers')
    const stopped = (await docker(h2, 'ps', '-a', '--filter', 'status=exited', '--filter', 'status=created', '--filter', 'status=dead', '--format', '{{.Names}}'))
      .split('\n')
      .sort()
    expect(items.map((c) => c.label).sort()).toEqual(stopped)
    const id = (name: string) => items.find((c) => c.label === name)?.id ?? expect.fail(`the preview does not list ${name}`)
    const runId = await docker(h2, 'inspect', '-f', '{{.Id}}', 'd-run')
    const outcome = await call(t.core, 'system.prune', { hostId, kind: 'containers', ids: [id('d-stop1'), id('d-stop2'), runId] })
    expect(outcome.removed.sort()).toEqual([id('d-stop1'), id('d-stop2')].sort())
    expect(outcome.skipped).toEqual([{ id: runId, reason: expect.stringContaining('no longer prunable') }])
    expect(await exists('inspect', 'd-stop1')).toBe(false)
    expect(await exists('inspect', 'd-run')).toBe(true)
    // the seeded stopped containers were in the preview but not confirmed: they stay
    expect(await exists('inspect', 'job')).toBe(true)
    expect(await exists('inspect', 'fresh')).toBe(true)
  })

  it('previews dangling images and removes only the confirmed one', async () => {
    await docker(h2, 'create', '--name', 'd-base', '--network', 'none', lab.image, 'sh', '-c', 'exit 0')
    await docker(h2, 'commit', '-c', 'LABEL d=1', 'd-base', 'd-img:1')
    const first = await docker(h2, 'image', 'inspect', '-f', '{{.Id}}', 'd-img:1')
    // tagging a second image d-img:1 leaves the first one dangling
    await docker(h2, 'commit', '-c', 'LABEL d=2', 'd-base', 'd-img:1')
    const items = await preview('images')
    const dangling = (await docker(h2, 'images', '-q', '--no-trunc', '-f', 'dangling=true')).split('\n').filter(Boolean).sort()
    expect(items.map((i) => i.id).sort()).toEqual(dangling)
    expect(items.map((i) => i.id)).toContain(first)
    const outcome = await call(t.core, 'system.prune', { hostId, kind: 'images', ids: [first] })
    expect(outcome.removed).toEqual([first])
    expect(await exists('image', 'inspect', first)).toBe(false)
    expect(await exists('image', 'inspect', 'd-img:1')).toBe(true)
    expect(await exists('image', 'inspect', lab.image)).toBe(true)
  })

  it('previews the build cache docker system df -v lists as unused, and skips ids it does not hold', async () => {
    const items = await preview('buildCache')
    const cli = JSON.parse((await docker(h2, 'system', 'df', '-v', '--format', '{{json .BuildCache}}')) || '[]') as Array<{ ID: string; InUse: boolean }> | null
    expect(items.map((c) => c.id).sort()).toEqual((cli ?? []).filter((c) => !c.InUse).map((c) => c.ID).sort())
    const outcome = await call(t.core, 'system.prune', { hostId, kind: 'buildCache', ids: ['d0nosuchcache'] })
    expect(outcome).toMatchObject({ removed: [], skipped: [{ id: 'd0nosuchcache' }] })
    expect(await t.core.invoke('system.prune', { hostId, kind: 'images', ids: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('confirm at least one item') } })
  })
})
