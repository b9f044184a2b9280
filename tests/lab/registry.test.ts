/**
 * registry.manifest against the lab registry, checked with `docker manifest inspect --insecure`
 * and curl of the registry API. seed-multiarch.sh puts the two-architecture tag there first.
 * Objects made here start with reg-: the tag 10.77.0.1:5000/reg/multi:1 (kept in the registry,
 * which has no delete) and, during one test, that image pulled on h2 (removed after).
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const run = promisify(execFile)
const lab = readLab()
const h2 = labHost(lab, 'h2')
const MULTI = `${lab.registry}/reg/multi:1`
const INDEX_ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json'
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'

let t: TestCore
let hostId: string
let pulled = false

async function seedMultiarch(): Promise<void> {
  await run(join(import.meta.dirname, 'seed-multiarch.sh'), [h2.dockerHost, lab.registry])
}

/** The registry's own Docker-Content-Digest for a tag, as curl shows it. */
async function registryDigest(path: string, tag: string, accept: string): Promise<string> {
  const { stdout } = await run('curl', ['-sfI', '-H', `Accept: ${accept}`, `http://${lab.registry}/v2/${path}/manifests/${tag}`])
  return /docker-content-digest:\s*(\S+)/i.exec(stdout)![1]!
}

interface CliManifest {
  manifests?: { digest: string; size: number; platform: { architecture: string; os: string } }[]
  layers?: { digest: string; size: number }[]
}
async function manifestInspect(ref: string): Promise<CliManifest> {
  return JSON.parse(await docker(h2, 'manifest', 'inspect', '--insecure', ref)) as CliManifest
}

beforeAll(async () => {
  await seedMultiarch()
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h2)).id
}, 60_000)
afterAll(async () => {
  await t?.core.close()
  if (pulled) await docker(h2, 'rmi', MULTI).catch(() => {})
})

const manifest = (reference: string, platform?: string) =>
  call(t.core, 'registry.manifest', { hostId, reference, ...(platform ? { platform } : {}) })

describe('registry.manifest', () => {
  it('reads a two-architecture tag: the index digest, each platform manifest and its layers, as the registry reports them', async () => {
    const report = await manifest(MULTI)
    const cli = await manifestInspect(MULTI)
    expect(report.isIndex).toBe(true)
    expect(report.digest).toBe(await registryDigest('reg/multi', '1', INDEX_ACCEPT))
    expect(report.hostPlatform).toBe('linux/amd64')
    expect(report.platforms.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    for (const entry of cli.manifests!) {
      const row = report.platforms.find((p) => p.architecture === entry.platform.architecture)!
      expect(row.digest).toBe(entry.digest)
      expect(row.size).toBe(entry.size)
      expect(row.thisHost).toBe(entry.platform.architecture === 'amd64')
      const child = await manifestInspect(`${lab.registry}/reg/multi@${entry.digest}`)
      expect(row.layers.map((l) => [l.digest, l.size])).toEqual(child.layers!.map((l) => [l.digest, l.size]))
      expect(row.layersSize).toBe(child.layers!.reduce((sum, l) => sum + l.size, 0))
    }
    // the registry answers a client that accepts only single manifests with the amd64 child
    expect(await registryDigest('reg/multi', '1', MANIFEST_ACCEPT)).toBe(report.platforms[0]!.digest)
  })

  it('keeps one platform when asked, and says NOT_FOUND for a platform the tag lacks', async () => {
    const arm = await manifest(MULTI, 'linux/arm64')
    expect(arm.platforms.map((p) => p.platform)).toEqual(['linux/arm64'])
    await expect(manifest(MULTI, 'linux/s390x')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('linux/s390x') })
  })

  it('reads a single-platform tag as one manifest whose digest the registry reports', async () => {
    const report = await manifest(`${lab.registry}/${lab.image}`)
    expect(report.isIndex).toBe(false)
    expect(report.digest).toBe(await registryDigest('lab/busybox', '1', `${INDEX_ACCEPT}, ${MANIFEST_ACCEPT}`))
    expect(report.platforms).toHaveLength(1)
    expect(report.platforms[0]).toMatchObject({ platform: 'linux/amd64', digest: report.digest, thisHost: true })
    const cli = await manifestInspect(`${lab.registry}/${lab.image}`)
    expect(report.platforms[0]!.layers.map((l) => l.digest)).toEqual(cli.layers!.map((l) => l.digest))
  })

  it('after a pull of the arm64 platform, RepoDigests holds the index digest, not the arm64 manifest digest', async () => {
    const report = await manifest(MULTI)
    pulled = true
    await docker(h2, 'pull', '-q', '--platform', 'linux/arm64', MULTI)
    const repoDigests = await docker(h2, 'image', 'inspect', '-f', '{{join .RepoDigests " "}} {{.Architecture}}', MULTI)
    expect(repoDigests).toBe(`${lab.registry}/reg/multi@${report.digest} arm64`)
  })

  it('says NOT_FOUND for an unknown tag or repository, and UNREACHABLE for a registry nobody runs', async () => {
    await expect(manifest(`${lab.registry}/reg/multi:no-such-tag`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('reg/multi:no-such-tag'),
    })
    await expect(manifest(`${lab.registry}/reg/no-such-repo:1`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(manifest('10.77.0.1:5999/reg/multi:1')).rejects.toMatchObject({ code: 'UNREACHABLE' })
  })

  it('refuses a malformed reference before asking anyone', async () => {
    await expect(manifest('Reg/Multi:1')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('lowercase') })
  })
})
