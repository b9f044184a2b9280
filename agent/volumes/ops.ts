/** volumes.*: the engine's volumes with sizes and users, create, remove and a confirmed prune. */
import type Docker from 'dockerode'
import type { z } from 'zod'
import { BerthError } from '../../protocol/errors'
import type { Mount, PruneOutcome, VolumeSummary, volumeCreateSchema } from '../../protocol/schema'
import { engineMessage } from '../engine/errors'
import { containerName } from '../networks/list'

interface DfVolume {
  Name: string
  Driver: string
  Mountpoint: string
  Labels: Record<string, string> | null
  CreatedAt?: string
  UsageData?: { Size: number; RefCount: number } | null
}

/** Volume name -> names of the containers (any state) that mount it. */
async function volumeUsers(docker: Docker): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>()
  for (const c of await docker.listContainers({ all: true })) {
    // the file browser's helper is not a user of the volume: it would block nothing
    if (c.Labels?.['berth.helper'] !== undefined) continue
    for (const m of c.Mounts ?? []) {
      if (m.Type !== 'volume' || !m.Name) continue
      users.set(m.Name, [...(users.get(m.Name) ?? []), containerName(c)].sort())
    }
  }
  return users
}

function summarize(v: DfVolume, users: string[]): VolumeSummary {
  const size = v.UsageData?.Size
  return {
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    labels: v.Labels ?? {},
    created: v.CreatedAt ?? '',
    // the engine reports -1 where it did not measure
    sizeBytes: size === undefined || size < 0 ? null : size,
    containers: users,
    dangling: users.length === 0,
  }
}

/**
 * Sizes come from the engine's disk usage report (what `docker system df -v` shows). That
 * report leaves out volumes it cannot measure (e.g. tmpfs ones), so the list itself comes
 * from the volume list.
 */
export async function listVolumes(docker: Docker): Promise<VolumeSummary[]> {
  const [listed, df, users] = await Promise.all([
    docker.listVolumes(),
    docker.df() as Promise<{ Volumes: DfVolume[] | null }>,
    volumeUsers(docker),
  ])
  const usage = new Map((df.Volumes ?? []).map((v) => [v.Name, v.UsageData]))
  return (listed.Volumes ?? [])
    .map((v) => summarize({ ...(v as unknown as DfVolume), UsageData: usage.get(v.Name) ?? null }, users.get(v.Name) ?? []))
    .sort((a, b) => a.name.localeCompare(b.name))
}

export async function createVolume(docker: Docker, p: z.output<typeof volumeCreateSchema>): Promise<VolumeSummary> {
  const existing = await docker.listVolumes({ filters: { name: [p.name] } })
  // the engine answers a second create of the same name with the first volume, silently
  if ((existing.Volumes ?? []).some((v) => v.Name === p.name)) throw new BerthError('CONFLICT', `a volume named ${p.name} already exists`)
  await docker.createVolume({ Name: p.name, Driver: p.driver, DriverOpts: p.driverOptions, Labels: p.labels })
  const v = (await docker.getVolume(p.name).inspect()) as unknown as DfVolume
  return summarize({ ...v, UsageData: null }, [])
}

export async function removeVolume(docker: Docker, name: string, force: boolean): Promise<{ name: string }> {
  try {
    await docker.getVolume(name).remove({ force })
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 409) throw err
    const users = (await volumeUsers(docker)).get(name) ?? []
    const who = users.length > 0 ? `container${users.length === 1 ? '' : 's'} ${users.join(', ')}` : 'a container'
    throw new BerthError('CONFLICT', `volume ${name} is in use by ${who}: remove ${users.length === 1 ? 'it' : 'them'} first`, {
      containers: users,
      engine: engineMessage(err as Error),
    })
  }
  return { name }
}

export async function prunePreview(docker: Docker): Promise<VolumeSummary[]> {
  return (await listVolumes(docker)).filter((v) => v.dangling)
}

/** Removes each confirmed volume only if it is still unused now: never one that was not previewed. */
export async function pruneVolumes(docker: Docker, names: string[]): Promise<PruneOutcome> {
  const unused = new Map((await prunePreview(docker)).map((v) => [v.name, v]))
  const outcome: PruneOutcome = { removed: [], skipped: [], spaceReclaimedBytes: 0 }
  for (const name of new Set(names)) {
    const volume = unused.get(name)
    if (!volume) {
      outcome.skipped.push({ id: name, reason: 'no longer an unused volume (now in use, or already gone)' })
      continue
    }
    try {
      // no force: a container that started using it since the check makes the engine refuse
      await docker.getVolume(name).remove()
      outcome.removed.push(name)
      outcome.spaceReclaimedBytes += volume.sizeBytes ?? 0
    } catch (err) {
      outcome.skipped.push({ id: name, reason: engineMessage(err as Error) })
    }
  }
  return outcome
}

export async function containerMounts(docker: Docker, ref: string): Promise<Mount[]> {
  const info = await docker.getContainer(ref).inspect()
  return (info.Mounts ?? []).map((m) => ({
    type: m.Type ?? '',
    name: m.Name ?? '',
    source: m.Source,
    destination: m.Destination,
    readOnly: !m.RW,
  }))
}
