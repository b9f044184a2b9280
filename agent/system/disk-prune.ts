/**
 * Prune previews and confirmed prunes for stopped containers, dangling images and unused
 * build cache. The prune removes only confirmed ids that a fresh preview still lists, one by
 * one and never forced, so nothing the user did not see can go.
 */
import type Docker from 'dockerode'
import type { PruneCandidate, PruneKind, PruneOutcome } from '../../protocol/schema'
import { engineMessage } from '../engine/errors'
import { type DfReport, imageTags, isActiveContainer } from './disk-usage'

async function stoppedContainers(docker: Docker): Promise<PruneCandidate[]> {
  const all = await docker.listContainers({ all: true, size: true })
  // what `docker container prune` removes: everything not running (paused counts as running)
  return all
    .filter((c) => !isActiveContainer(c.State) && c.State !== 'removing')
    .map((c) => ({
      id: c.Id,
      label: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      detail: `${c.Image} · ${c.Status}`,
      sizeBytes: (c as { SizeRw?: number }).SizeRw ?? null,
    }))
}

async function danglingImages(docker: Docker): Promise<PruneCandidate[]> {
  const [dangling, df] = await Promise.all([
    docker.listImages({ filters: { dangling: ['true'] } }),
    docker.df() as Promise<DfReport>,
  ])
  const usedBy = new Map((df.Images ?? []).map((i) => [i.Id, i.Containers]))
  // like `docker image prune`: an untagged image a container still uses stays
  return dangling
    .filter((i) => imageTags(i.RepoTags).length === 0 && (usedBy.get(i.Id) ?? 0) <= 0)
    .map((i) => ({ id: i.Id, label: i.Id.replace(/^sha256:/, '').slice(0, 12), detail: 'dangling image (no tag)', sizeBytes: i.Size }))
}

async function unusedBuildCache(docker: Docker): Promise<PruneCandidate[]> {
  const df = (await docker.df()) as DfReport
  return (df.BuildCache ?? [])
    .filter((c) => !c.InUse)
    .map((c) => ({ id: c.ID, label: c.Description || c.ID.slice(0, 12), detail: c.Type, sizeBytes: c.Shared ? 0 : c.Size }))
}

export function prunePreview(docker: Docker, kind: PruneKind): Promise<PruneCandidate[]> {
  if (kind === 'containers') return stoppedContainers(docker)
  if (kind === 'images') return danglingImages(docker)
  return unusedBuildCache(docker)
}

/** dockerode's pruneBuilder drops its options, so the id filter goes straight to the API. */
function pruneCacheEntry(docker: Docker, id: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build/prune?',
        method: 'POST',
        options: { filters: { id: [id] } },
        statusCodes: { 200: true, 500: 'server error' },
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)),
    )
  })
}

function removeOne(docker: Docker, kind: PruneKind, id: string): Promise<unknown> {
  if (kind === 'containers') return docker.getContainer(id).remove()
  if (kind === 'images') return docker.getImage(id).remove()
  return pruneCacheEntry(docker, id)
}

export async function pruneConfirmed(docker: Docker, kind: PruneKind, ids: string[]): Promise<PruneOutcome> {
  const candidates = new Map((await prunePreview(docker, kind)).map((c) => [c.id, c]))
  const outcome: PruneOutcome = { removed: [], skipped: [], spaceReclaimedBytes: 0 }
  for (const id of new Set(ids)) {
    const candidate = candidates.get(id)
    if (!candidate) {
      outcome.skipped.push({ id, reason: 'no longer prunable (in use again, or already gone)' })
      continue
    }
    try {
      await removeOne(docker, kind, id)
      outcome.removed.push(id)
      outcome.spaceReclaimedBytes += candidate.sizeBytes ?? 0
    } catch (err) {
      outcome.skipped.push({ id, reason: engineMessage(err as Error) })
    }
  }
  return outcome
}
