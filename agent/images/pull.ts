/**
 * images.pull: the engine's pull with its progress turned into image.pullProgress events.
 *
 * The engine streams one JSON object per line, read by jsonLines, which turns a failure inside
 * the 200 answer into one of Berth's errors (pullError). Progress is sent at most every
 * PROGRESS_INTERVAL_MS per pull; the last state is always sent, with done: true.
 * A pull is cancelled by destroying its HTTP stream: the engine stops when its client goes.
 */
import type Docker from 'dockerode'
import type { PullLayer, PullProgress } from '../../protocol/schema'
import { BerthError } from '../../protocol/errors'
import { parseImageReference } from '../../protocol/image-reference'
import { engineMessage, mapEngineError } from '../engine/errors'
import { jsonLines } from '../engine/json-lines'

/** At most ~10 progress events per second per pull. */
export const PROGRESS_INTERVAL_MS = 100

/** Layer lines carry the layer's short ID; other lines (with the tag as id) are about the whole pull. */
const layerId = /^[a-f0-9]{12}$/

interface ProgressLine {
  status?: string
  id?: string
  progressDetail?: { current?: number; total?: number }
}

export interface PullRequest {
  pullId: string
  reference: string
  platform?: string
  auth?: { username: string; password: string; serveraddress: string }
  signal: AbortSignal
  emit: (progress: PullProgress) => void
}

export interface PullResult {
  id: string
  digest: string | null
  reference: string
}

/** Registry failures in the engine's words, sorted into Berth's codes. */
export function pullError(message: string, reference: string): BerthError {
  if (/manifest unknown|not found|repository does not exist/i.test(message)) {
    return new BerthError('NOT_FOUND', `${reference} was not found in its registry: ${message}`)
  }
  if (/no such host|connection refused|i\/o timeout|network is unreachable|dial tcp|no route to host/i.test(message)) {
    return new BerthError('UNREACHABLE', `the registry for ${reference} cannot be reached from this host: ${message}`)
  }
  if (/unauthorized|authentication required|denied/i.test(message)) {
    return new BerthError('AUTH_FAILED', `the registry refused access to ${reference}: ${message}`)
  }
  if (/no matching manifest/i.test(message)) return new BerthError('NOT_FOUND', `${reference}: ${message}`)
  return new BerthError('INTERNAL', `pulling ${reference} failed: ${message}`)
}

class ProgressState {
  private readonly layers = new Map<string, PullLayer>()
  private status: string | undefined
  private lastSent = 0
  private timer: NodeJS.Timeout | undefined
  digest: string | null = null

  constructor(
    private readonly pullId: string,
    private readonly emit: (p: PullProgress) => void,
  ) {}

  add(line: ProgressLine): void {
    const status = line.status ?? ''
    const digest = /^Digest: (\S+)/.exec(status)
    if (digest) this.digest = digest[1]!
    if (line.id && layerId.test(line.id)) {
      const layer: PullLayer = { id: line.id, status }
      const detail = line.progressDetail
      if (detail?.total !== undefined && detail.total > 0) {
        layer.current = detail.current ?? 0
        layer.total = detail.total
      }
      this.layers.set(line.id, layer)
    } else if (status) {
      this.status = line.id ? `${status} ${line.id}` : status
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, this.lastSent + PROGRESS_INTERVAL_MS - Date.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.send(false)
    }, wait)
  }

  private send(done: boolean, error?: string): void {
    this.lastSent = Date.now()
    const progress: PullProgress = { pullId: this.pullId, layers: [...this.layers.values()], done }
    if (this.status !== undefined) progress.status = this.status
    if (error !== undefined) progress.error = error
    this.emit(progress)
  }

  finish(error?: string): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.send(true, error)
  }
}

export async function pullImage(docker: Docker, endpoint: string, req: PullRequest): Promise<PullResult> {
  const parsed = parseImageReference(req.reference)
  if (!parsed.ok) throw new BerthError('INVALID_INPUT', parsed.message)
  const ref = parsed.ref
  const state = new ProgressState(req.pullId, req.emit)
  const aborter = new AbortController()
  const cancelled = (): BerthError => new BerthError('CANCELLED', `the pull of ${ref.familiar} was cancelled`)
  let stream: (NodeJS.ReadableStream & AsyncIterable<Buffer> & { destroy(): void }) | undefined
  const onAbort = (): void => {
    aborter.abort()
    stream?.destroy()
  }
  req.signal.addEventListener('abort', onAbort, { once: true })
  try {
    if (req.signal.aborted) throw cancelled()
    const options: Record<string, unknown> = { fromImage: ref.fullName, tag: ref.digest ?? ref.tag, abortSignal: aborter.signal }
    if (req.platform) options.platform = req.platform
    if (req.auth) options.authconfig = req.auth
    try {
      stream = (await docker.createImage(options)) as typeof stream
    } catch (err) {
      if (req.signal.aborted) throw cancelled()
      const mapped = mapEngineError(err, endpoint)
      if (mapped.code === 'ENGINE_UNAVAILABLE' || mapped.code === 'PERMISSION_DENIED') throw mapped
      throw pullError(engineMessage((err ?? {}) as object), ref.familiar)
    }
    let finished = false
    for await (const line of jsonLines<ProgressLine>(stream!, { failure: (message) => pullError(message, ref.familiar) })) {
      // the engine's last line: "Status: Downloaded newer image for …" or "… is up to date …"
      if (line.status?.startsWith('Status: ')) finished = true
      state.add(line)
    }
    if (req.signal.aborted) throw cancelled()
    if (!finished) throw new BerthError('INTERNAL', `the engine ended the pull of ${ref.familiar} before it finished`)
    const image = await docker.getImage(ref.digest ? `${ref.fullName}@${ref.digest}` : ref.full).inspect()
    const digest =
      (image.RepoDigests ?? []).find((d) => d.startsWith(`${ref.familiarName}@`)) ??
      (state.digest ? `${ref.familiarName}@${state.digest}` : null)
    state.finish()
    return { id: image.Id, digest, reference: ref.familiar }
  } catch (err) {
    stream?.destroy()
    const error = req.signal.aborted ? cancelled() : err
    state.finish(error instanceof Error ? error.message : String(error))
    throw error
  } finally {
    req.signal.removeEventListener('abort', onAbort)
  }
}
