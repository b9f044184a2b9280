/** images.inspect: what `docker image inspect` and `docker history` say, in Berth's shape. */
import type Docker from 'dockerode'
import type { ImageDetails } from '../../protocol/schema'

interface HistoryEntry {
  Created: number
  CreatedBy: string
  Size: number
  Comment: string
}

export async function inspectImage(docker: Docker, ref: string): Promise<ImageDetails> {
  const image = docker.getImage(ref)
  const info = (await image.inspect()) as Docker.ImageInspectInfo & { Variant?: string }
  // by ID, so a tag moved between the two calls cannot mix two images
  const history = (await docker.getImage(info.Id).history()) as HistoryEntry[]
  const config = info.Config ?? ({} as Partial<Docker.ImageInspectInfo['Config']>)
  const details: ImageDetails = {
    id: info.Id,
    repoTags: info.RepoTags ?? [],
    repoDigests: info.RepoDigests ?? [],
    created: info.Created,
    size: info.Size,
    os: info.Os,
    architecture: info.Architecture,
    author: info.Author ?? '',
    config: {
      cmd: config.Cmd ?? null,
      entrypoint: (config.Entrypoint as string[] | null | undefined) ?? null,
      env: config.Env ?? [],
      exposedPorts: Object.keys(config.ExposedPorts ?? {}),
      workingDir: config.WorkingDir ?? '',
      user: config.User ?? '',
      labels: (config.Labels as Record<string, string> | null | undefined) ?? {},
    },
    history: history.map((h) => ({
      created: new Date(h.Created * 1000).toISOString(),
      createdBy: h.CreatedBy ?? '',
      size: h.Size,
      comment: h.Comment ?? '',
    })),
    layers: info.RootFS?.Layers ?? [],
  }
  if (info.Variant) details.variant = info.Variant
  return details
}
