/** docker login's check and docker push, with credentials main hands over for the one call. */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import type { z } from 'zod'
import type { pushProgressSchema } from '../../protocol/schema'
import { jsonLines } from '../engine/json-lines'

export interface AuthConfig {
  username: string
  password: string
  serveraddress: string
}

type PushProgress = z.infer<typeof pushProgressSchema>

/** A registry's refusal in the engine's words, as AUTH_FAILED when it is about credentials. */
function refusal(message: string): BerthError {
  const auth = /unauthorized|authentication required|denied|incorrect username or password|auth credentials|401/i.test(message)
  return new BerthError(auth ? 'AUTH_FAILED' : 'UNREACHABLE', message)
}

export async function checkLogin(docker: Docker, auth: AuthConfig): Promise<string> {
  try {
    const answer = (await docker.checkAuth(auth)) as { Status?: string }
    return answer.Status ?? 'Login Succeeded'
  } catch (err) {
    const e = err as { json?: { message?: string }; message?: string }
    throw refusal(e.json?.message ?? e.message ?? 'the registry refused the login')
  }
}

interface PushLine {
  id?: string
  status?: string
  progressDetail?: { current?: number; total?: number }
  aux?: { Digest?: string }
}

export async function push(
  docker: Docker,
  reference: string,
  auth: AuthConfig | undefined,
  progress: (p: Omit<PushProgress, 'pushId'>) => void,
): Promise<string | undefined> {
  // a clear NOT_FOUND before anything goes to the registry
  await docker.getImage(reference).inspect()
  // the engine wants an X-Registry-Auth header even when there is no login: an empty one, as the CLI sends
  const response = (await docker.getImage(reference).push({ authconfig: auth ?? {} })) as NodeJS.ReadableStream
  let digest: string | undefined
  // the engine answers 200 and reports a failed push inside the stream
  for await (const line of jsonLines<PushLine>(response as AsyncIterable<Buffer>, { failure: refusal })) {
    if (line.aux?.Digest) digest = line.aux.Digest
    if (!line.status) continue
    const { current, total } = line.progressDetail ?? {}
    progress({
      status: line.status,
      ...(line.id ? { layer: line.id } : {}),
      ...(current !== undefined ? { current } : {}),
      ...(total !== undefined ? { total } : {}),
    })
  }
  return digest
}
