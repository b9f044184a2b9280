/**
 * images.tag, images.untag, images.remove and images.pruneDangling.
 *
 * Removal is refused while a container (in any state) uses the image, naming the containers,
 * rather than leaving them on an untagged image as `docker rmi -f` would. Untag removes one
 * tag only: it is refused on an image's last tag, since the engine would delete the image.
 */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { parseImageReference } from '../../protocol/image-reference'
import { containersByImage } from './list'

interface DeleteItem {
  Untagged?: string
  Deleted?: string
}

function removeResult(items: DeleteItem[]): { untagged: string[]; deleted: string[] } {
  return {
    untagged: items.flatMap((i) => (i.Untagged ? [i.Untagged] : [])),
    deleted: items.flatMap((i) => (i.Deleted ? [i.Deleted] : [])),
  }
}

function parsed(reference: string) {
  const result = parseImageReference(reference)
  if (!result.ok) throw new BerthError('INVALID_INPUT', result.message)
  return result.ref
}

export async function tagImage(docker: Docker, image: string, target: string): Promise<{ id: string; target: string }> {
  const ref = parsed(target)
  const info = await docker.getImage(image).inspect()
  await docker.getImage(info.Id).tag({ repo: ref.familiarName, tag: ref.tag })
  return { id: info.Id, target: ref.familiar }
}

export async function untagImage(docker: Docker, reference: string) {
  const ref = parsed(reference)
  const info = await docker.getImage(ref.familiar).inspect()
  const tags = info.RepoTags ?? []
  if (!tags.includes(ref.familiar)) throw new BerthError('NOT_FOUND', `no image is tagged ${ref.familiar}`)
  if (tags.length < 2) {
    throw new BerthError(
      'CONFLICT',
      `${ref.familiar} is the only tag of image ${info.Id.slice(7, 19)}: removing it would remove the image (use Remove instead)`,
    )
  }
  return removeResult((await docker.getImage(ref.familiar).remove({ force: false, noprune: false })) as DeleteItem[])
}

export async function removeImage(docker: Docker, image: string) {
  const info = await docker.getImage(image).inspect()
  const users = (await containersByImage(docker)).get(info.Id) ?? []
  if (users.length > 0) {
    const s = users.length === 1 ? '' : 's'
    throw new BerthError(
      'CONFLICT',
      `image ${image} is used by ${users.length} container${s}: ${users.join(', ')}; remove the container${s} first`,
      { containers: users },
    )
  }
  // by ID with force, so every tag of the image goes with it (like `docker rmi -f <id>`)
  return removeResult((await docker.getImage(info.Id).remove({ force: true })) as DeleteItem[])
}

/** Dangling images the engine's prune would remove: untagged and used by no container. */
async function danglingUnused(docker: Docker): Promise<Array<{ id: string; size: number }>> {
  const [images, users] = await Promise.all([
    docker.listImages({ filters: { dangling: ['true'] } }),
    containersByImage(docker),
  ])
  return images.filter((i) => !users.has(i.Id)).map((i) => ({ id: i.Id, size: i.Size }))
}

export async function pruneDangling(docker: Docker, preview: boolean) {
  const candidates = await danglingUnused(docker)
  if (preview) return { images: candidates, spaceReclaimed: candidates.reduce((sum, i) => sum + i.size, 0) }
  const answer = (await docker.pruneImages({ filters: { dangling: ['true'] } })) as {
    ImagesDeleted?: DeleteItem[] | null
    SpaceReclaimed?: number
  }
  const deleted = new Set((answer.ImagesDeleted ?? []).flatMap((i) => (i.Deleted ? [i.Deleted] : [])))
  const sizes = new Map(candidates.map((c) => [c.id, c.size]))
  return {
    images: [...deleted].filter((id) => sizes.has(id)).map((id) => ({ id, size: sizes.get(id)! })),
    spaceReclaimed: answer.SpaceReclaimed ?? 0,
  }
}
