/**
 * A fake registry speaking the Distribution API v2 on 127.0.0.1, for registry.manifest (which
 * the agent asks itself, over http as the engine would for a 127.0.0.0/8 registry). It holds a
 * multi-platform index with an attestation entry and a single-platform tag, and asks for an
 * anonymous bearer token the way Docker Hub does.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const INDEX = 'application/vnd.oci.image.index.v1+json'
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const TOKEN = 'anonymous-pull-token'

interface Doc {
  mediaType: string
  bytes: Buffer
  digest: string
}

function doc(mediaType: string, body: object): Doc {
  const bytes = Buffer.from(JSON.stringify(body, null, 3))
  return { mediaType, bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` }
}

const layer = (seed: string, size: number) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${createHash('sha256').update(seed).digest('hex')}`, size })
const config = (seed: string) => ({ mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${createHash('sha256').update(`config:${seed}`).digest('hex')}`, size: 1_470 })

export class FakeRegistry {
  /** Documents by repository, then by tag or digest. */
  private readonly repos = new Map<string, Map<string, Doc>>()
  readonly requests: string[] = []
  private readonly server = createServer((req, res) => this.handle(req, res))

  /** `shop/api:1.0` is an index for linux/amd64 and linux/arm64/v8 (and an attestation); `shop/api:single` is one manifest. */
  private constructor() {
    const amd64 = doc(MANIFEST, { schemaVersion: 2, mediaType: MANIFEST, config: config('amd64'), layers: [layer('amd64-1', 3_000_000), layer('amd64-2', 1_000)] })
    const arm64 = doc(MANIFEST, { schemaVersion: 2, mediaType: MANIFEST, config: config('arm64'), layers: [layer('arm64-1', 2_900_000)] })
    const attestation = doc(MANIFEST, { schemaVersion: 2, mediaType: MANIFEST, config: config('att'), layers: [layer('att', 800)] })
    const descriptor = (d: Doc, platform: object) => ({ mediaType: d.mediaType, digest: d.digest, size: d.bytes.length, platform })
    const index = doc(INDEX, {
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [
        descriptor(amd64, { architecture: 'amd64', os: 'linux' }),
        descriptor(arm64, { architecture: 'arm64', os: 'linux', variant: 'v8' }),
        descriptor(attestation, { architecture: 'unknown', os: 'unknown' }),
      ],
    })
    const single = doc(MANIFEST, { schemaVersion: 2, mediaType: MANIFEST, config: config('single'), layers: [layer('single', 5_000)] })
    this.repos.set('shop/api', new Map([['1.0', index], ['single', single], ...[amd64, arm64, attestation, single].map((d) => [d.digest, d] as [string, Doc])]))
  }

  static async start(): Promise<FakeRegistry> {
    const registry = new FakeRegistry()
    await new Promise<void>((resolve) => registry.server.listen(0, '127.0.0.1', resolve))
    return registry
  }

  /** host:port, as image references name it. */
  get domain(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  digestOf(repo: string, ref: string): string {
    return this.repos.get(repo)!.get(ref)!.digest
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${this.domain}`)
    this.requests.push(`${req.method} ${url.pathname}`)
    if (url.pathname === '/token') return this.json(res, 200, { token: TOKEN, expires_in: 300 })
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname)
    if (!m) return this.json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'page not found' }] })
    const [, repo, ref] = m as unknown as [string, string, string]
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${this.domain}/token",service="fake-registry",scope="repository:${repo}:pull"`, 'Content-Type': 'application/json' })
      return void res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }))
    }
    const docs = this.repos.get(repo)
    if (!docs) return this.json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: repo } }] })
    const found = docs.get(ref)
    if (!found) return this.json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: ref } }] })
    res.writeHead(200, { 'Content-Type': found.mediaType, 'Docker-Content-Digest': found.digest, 'Content-Length': found.bytes.length })
    res.end(found.bytes)
  }

  private json(res: ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
