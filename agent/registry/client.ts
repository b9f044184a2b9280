/**
 * A read-only client for the Distribution API v2 (what registries speak): GET manifests, with
 * the anonymous bearer-token flow Docker Hub and most private registries use
 * (401 + `WWW-Authenticate: Bearer realm=…,service=…,scope=…` -> GET realm -> retry with the token).
 *
 * Digests are computed from the bytes the registry sent, so they are the content's own names
 * and equal what `docker manifest inspect` and the registry's Docker-Content-Digest report.
 */
import { createHash } from 'node:crypto'
import { BerthError } from '../../protocol/errors'

export const INDEX_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]
/** Each registry round trip; a token service on the internet may be slow, never this slow. */
export const REGISTRY_REQUEST_TIMEOUT_MS = 15_000

export interface FetchedManifest {
  digest: string
  mediaType: string
  /** Bytes of the manifest document. */
  size: number
  body: Record<string, unknown>
}

interface Challenge {
  realm: string
  service?: string
  scope?: string
}

/** Parses `Bearer realm="…",service="…",scope="…"`; undefined for Basic or anything else. */
export function parseBearerChallenge(header: string | null): Challenge | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined
  const params: Record<string, string> = {}
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!
  if (!params.realm) return undefined
  return { realm: params.realm, ...(params.service ? { service: params.service } : {}), ...(params.scope ? { scope: params.scope } : {}) }
}

const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'])

function transportError(err: unknown, what: string): BerthError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  const code = cause?.code ?? (err as { code?: string }).code
  const name = (err as { name?: string }).name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new BerthError('UNREACHABLE', `${what} did not answer within ${REGISTRY_REQUEST_TIMEOUT_MS / 1000} s`)
  }
  const detail = cause?.message ?? (err instanceof Error ? err.message : String(err))
  if (code && unreachableCodes.has(code)) return new BerthError('UNREACHABLE', `${what} cannot be reached from this host: ${detail}`)
  return new BerthError('UNREACHABLE', `${what} failed: ${detail}`)
}

export class RegistryClient {
  private token: string | undefined

  /** baseUrl: http(s)://host[:port], without /v2. */
  constructor(
    private readonly baseUrl: string,
    private readonly repository: string,
  ) {}

  private async get(url: string, accept: string[], auth: boolean): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept.join(', ') }
    if (auth && this.token) headers.Authorization = `Bearer ${this.token}`
    try {
      return await fetch(url, { headers, signal: AbortSignal.timeout(REGISTRY_REQUEST_TIMEOUT_MS) })
    } catch (err) {
      throw transportError(err, `the registry at ${this.baseUrl}`)
    }
  }

  private async fetchToken(challenge: Challenge): Promise<void> {
    const url = new URL(challenge.realm)
    if (challenge.service) url.searchParams.set('service', challenge.service)
    url.searchParams.set('scope', challenge.scope ?? `repository:${this.repository}:pull`)
    let response: Response
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(REGISTRY_REQUEST_TIMEOUT_MS) })
    } catch (err) {
      throw transportError(err, `the registry's token service ${url.origin}`)
    }
    if (!response.ok) {
      throw new BerthError('AUTH_FAILED', `the token service ${url.origin} refused a pull token for ${this.repository} (HTTP ${response.status})`)
    }
    const body = (await response.json()) as { token?: string; access_token?: string }
    this.token = body.token ?? body.access_token
    if (!this.token) throw new BerthError('AUTH_FAILED', `the token service ${url.origin} answered without a token`)
  }

  /** GET /v2/<repository>/manifests/<reference> (a tag or a digest). */
  async manifest(reference: string, accept: string[]): Promise<FetchedManifest> {
    const url = `${this.baseUrl}/v2/${this.repository}/manifests/${reference}`
    let response = await this.get(url, accept, true)
    if (response.status === 401) {
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
      if (!challenge) {
        throw new BerthError('AUTH_FAILED', `the registry at ${this.baseUrl} requires a login for ${this.repository}`)
      }
      await this.fetchToken(challenge)
      response = await this.get(url, accept, true)
    }
    const bytes = Buffer.from(await response.arrayBuffer())
    if (!response.ok) throw this.statusError(response.status, bytes, reference)
    const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>
    const mediaType = (response.headers.get('content-type') ?? String(body.mediaType ?? '')).split(';')[0]!.trim()
    return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, mediaType, size: bytes.length, body }
  }

  private statusError(status: number, bytes: Buffer, reference: string): BerthError {
    let codes: string[] = []
    try {
      codes = ((JSON.parse(bytes.toString('utf8')) as { errors?: { code?: string }[] }).errors ?? []).map((e) => e.code ?? '')
    } catch {
      // not JSON: the status alone says enough
    }
    const where = `${this.repository}:${reference}`.replace(/:sha256:/, '@sha256:')
    if (status === 404 || codes.includes('MANIFEST_UNKNOWN') || codes.includes('NAME_UNKNOWN')) {
      const what = codes.includes('NAME_UNKNOWN') ? `the repository ${this.repository} does not exist` : `no manifest for ${where}`
      return new BerthError('NOT_FOUND', `${what} in the registry at ${this.baseUrl}`)
    }
    if (status === 401 || status === 403 || codes.includes('DENIED') || codes.includes('UNAUTHORIZED')) {
      return new BerthError('AUTH_FAILED', `the registry at ${this.baseUrl} refused access to ${this.repository} (HTTP ${status})`)
    }
    return new BerthError('UNREACHABLE', `the registry at ${this.baseUrl} answered HTTP ${status} for ${where}`)
  }
}
