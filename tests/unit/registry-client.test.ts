/** The registry client against a tiny registry on 127.0.0.1 that demands a bearer token. */
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MANIFEST_MEDIA_TYPES, parseBearerChallenge, RegistryClient } from '../../agent/registry/client'
import { inCidr, isInsecureRegistry, registryBaseUrl } from '../../agent/registry/manifest'

const manifest = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPES[1], layers: [{ digest: 'sha256:aa', size: 5 }] })
const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`
const TOKEN = 'tok-123'
let server: Server
let base: string
const tokenQueries: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/token') {
      tokenQueries.push(url.search)
      res.end(JSON.stringify({ token: TOKEN }))
      return
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="test.registry",scope="repository:lab/app:pull"` })
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED' }] }))
      return
    }
    if (url.pathname === '/v2/lab/app/manifests/1') {
      res.writeHead(200, { 'Content-Type': MANIFEST_MEDIA_TYPES[1] })
      res.end(manifest)
      return
    }
    res.writeHead(404)
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('registry client', () => {
  it('follows the bearer-token flow on a 401 and names the manifest by the sha256 of its bytes', async () => {
    const got = await new RegistryClient(base, 'lab/app').manifest('1', MANIFEST_MEDIA_TYPES)
    expect(got.digest).toBe(manifestDigest)
    expect(got.mediaType).toBe(MANIFEST_MEDIA_TYPES[1])
    expect(got.size).toBe(Buffer.byteLength(manifest))
    expect(tokenQueries.at(-1)).toBe('?service=test.registry&scope=repository%3Alab%2Fapp%3Apull')
  })

  it('says NOT_FOUND for an unknown tag, naming it', async () => {
    await expect(new RegistryClient(base, 'lab/app').manifest('nope', MANIFEST_MEDIA_TYPES)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('lab/app:nope'),
    })
  })

  it('says UNREACHABLE when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    await expect(new RegistryClient(`http://127.0.0.1:${port}`, 'x/y').manifest('1', MANIFEST_MEDIA_TYPES)).rejects.toMatchObject({
      code: 'UNREACHABLE',
    })
  })

  it('parses Bearer challenges and ignores Basic ones', () => {
    expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
    })
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined()
  })
})

describe('which registries get plain http', () => {
  const config = { InsecureRegistryCIDRs: ['10.77.0.0/24', '127.0.0.0/8'], IndexConfigs: { 'reg.local:5000': { Secure: false } } }
  it('uses http inside the insecure CIDRs and for registries listed as not secure, https elsewhere', () => {
    expect(isInsecureRegistry('10.77.0.1:5000', config)).toBe(true)
    expect(isInsecureRegistry('localhost:5000', config)).toBe(true)
    expect(isInsecureRegistry('reg.local:5000', config)).toBe(true)
    expect(isInsecureRegistry('10.77.1.1:5000', config)).toBe(false)
    expect(isInsecureRegistry('ghcr.io', config)).toBe(false)
    expect(inCidr('10.77.0.255', '10.77.0.0/24')).toBe(true)
    expect(registryBaseUrl('docker.io', false)).toBe('https://registry-1.docker.io')
    expect(registryBaseUrl('10.77.0.1:5000', true)).toBe('http://10.77.0.1:5000')
  })
})
