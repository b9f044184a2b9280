/** `docker commit`: a container's changes become a new image with a repository and tag. */
import type Docker from 'dockerode'
import { parseImageReference } from '../../protocol/image-reference'
import type { CommitParams } from '../../protocol/schema'

export async function commitContainer(docker: Docker, params: CommitParams): Promise<{ imageId: string; reference: string }> {
  const tag = params.tag ?? 'latest'
  const container = docker.getContainer(params.id)
  // an unknown container fails here with NOT_FOUND rather than inside the commit
  await container.inspect()
  const result = (await container.commit({
    repo: params.repository,
    tag,
    ...(params.message ? { comment: params.message } : {}),
    ...(params.author ? { author: params.author } : {}),
    ...(params.changes && params.changes.length > 0 ? { changes: params.changes } : {}),
    pause: params.pause ?? true,
  })) as { Id: string }
  const parsed = parseImageReference(`${params.repository}:${tag}`)
  return { imageId: result.Id, reference: parsed.ok ? parsed.ref.familiar : `${params.repository}:${tag}` }
}
