/**
 * images.list: the rows of `docker images`, with each image's platform and the containers
 * that use it.
 *
 * The list API has no OS or architecture, so each image is inspected once. An image ID names
 * immutable content, so its platform is cached by ID for the agent's life (entries for images
 * that are gone are dropped), and at most INSPECT_CONCURRENCY inspections run at a time so a
 * host with thousands of images does not get thousands of requests at once.
 */
import type Docker from 'dockerode'
import type { ImageRow } from '../../protocol/schema'

export const INSPECT_CONCURRENCY = 8
export const NONE = '<none>'

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export class PlatformCache {
  private readonly byId = new Map<string, Platform>()
  /** How many inspections the cache has made, for tests of its efficiency. */
  inspections = 0

  constructor(private readonly docker: Docker) {}

  async resolve(ids: string[]): Promise<Map<string, Platform>> {
    const missing = ids.filter((id) => !this.byId.has(id))
    await mapLimited(missing, INSPECT_CONCURRENCY, async (id) => {
      this.inspections += 1
      try {
        const info = (await this.docker.getImage(id).inspect()) as Docker.ImageInspectInfo & { Variant?: string }
        const platform: Platform = { os: info.Os, architecture: info.Architecture }
        if (info.Variant) platform.variant = info.Variant
        this.byId.set(id, platform)
      } catch {
        // removed between the list and the inspect: its row goes with the next list
      }
    })
    const live = new Set(ids)
    for (const id of this.byId.keys()) if (!live.has(id)) this.byId.delete(id)
    return this.byId
  }
}

/** "repo:tag" split at the last colon (a registry port also has one). */
export function splitRepoTag(repoTag: string): { repository: string; tag: string } {
  const colon = repoTag.lastIndexOf(':')
  return colon > repoTag.lastIndexOf('/') ? { repository: repoTag.slice(0, colon), tag: repoTag.slice(colon + 1) } : { repository: repoTag, tag: NONE }
}

function digestFor(repository: string, repoDigests: string[]): string | null {
  return repoDigests.find((d) => d.startsWith(`${repository}@`)) ?? null
}

/** `docker images` rows for one image: one per tag; untagged images by digest or as <none>. */
export function rowsOf(
  info: Docker.ImageInfo,
  platform: Platform | undefined,
  containers: string[],
): ImageRow[] {
  const repoDigests = (info.RepoDigests ?? []).filter((d) => d !== '<none>@<none>')
  const tags = (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>')
  const base = {
    id: info.Id,
    shortId: info.Id.replace(/^sha256:/, '').slice(0, 12),
    repoDigests,
    size: info.Size,
    created: info.Created,
    os: platform?.os ?? '',
    architecture: platform?.architecture ?? '',
    ...(platform?.variant ? { variant: platform.variant } : {}),
    dangling: tags.length === 0,
    containers: { count: containers.length, names: containers },
  }
  if (tags.length > 0) {
    return tags.map((t) => {
      const { repository, tag } = splitRepoTag(t)
      return { ...base, repository, tag, digest: digestFor(repository, repoDigests) }
    })
  }
  const repositories = [...new Set(repoDigests.map((d) => d.slice(0, d.indexOf('@'))))]
  if (repositories.length === 0) return [{ ...base, repository: NONE, tag: NONE, digest: null }]
  return repositories.map((repository) => ({ ...base, repository, tag: NONE, digest: digestFor(repository, repoDigests) }))
}

/** Container names by the ID of the image they were created from, from one container list. */
export async function containersByImage(docker: Docker): Promise<Map<string, string[]>> {
  const byImage = new Map<string, string[]>()
  for (const c of await docker.listContainers({ all: true })) {
    const name = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '')
    const names = byImage.get(c.ImageID) ?? []
    names.push(name)
    byImage.set(c.ImageID, names)
  }
  for (const names of byImage.values()) names.sort()
  return byImage
}

export async function listImages(docker: Docker, platforms: PlatformCache): Promise<ImageRow[]> {
  const [images, users] = await Promise.all([docker.listImages({ all: false }), containersByImage(docker)])
  const byId = await platforms.resolve(images.map((i) => i.Id))
  return images.flatMap((info) => rowsOf(info, byId.get(info.Id), users.get(info.Id) ?? []))
}
