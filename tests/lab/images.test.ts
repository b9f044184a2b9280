/**
 * The agent's image methods against the real lab engines, each result checked with the docker
 * CLI on that host. Pulls run on h2; everything else on h1. Objects made here start with img-.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Docker from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listImages, PlatformCache } from '../../agent/images/list'
import type { PullProgress } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
const registryImage = `${lab.registry}/${lab.image}`

let t: TestCore
let h1Id: string
let h2Id: string
const madeTags: string[] = []
const madeContainers: string[] = []
const madeIds: string[] = []
let registryTagOnH2 = false
let registryImageId = ''

/**
 * A pull through the fake registries below can leave the registry image on h2 untagged (the
 * engine finishes some steps of a cancelled pull): drop it, never an image with a tag.
 */
async function dropUntaggedRegistryImage(): Promise<void> {
  const tags = await docker(h2, 'image', 'inspect', '-f', '{{len .RepoTags}}', registryImageId).catch(() => 'none')
  if (tags === '0') await docker(h2, 'rmi', '-f', registryImageId)
}

async function quiet(run: Promise<unknown>): Promise<void> {
  await run.catch(() => {})
}

/** An image of its own made with docker commit (the lab has no builder), tagged `tag`. */
async function commitImage(tag: string, ...changes: string[]): Promise<string> {
  const name = `img-src-${madeContainers.length}`
  madeContainers.push(name)
  await docker(h1, 'create', '--name', name, '--network', 'none', lab.image, 'true')
  madeTags.push(tag)
  const id = await docker(h1, 'commit', ...changes.flatMap((c) => ['--change', c]), name, tag)
  madeIds.push(id)
  return id
}

/**
 * A registry in front of the lab's, on the lab bridge: 'hold' keeps manifest requests waiting
 * until release(); 'break-blobs' answers every blob request with a 500.
 */
async function fakeRegistry(mode: 'hold' | 'break-blobs') {
  const held: Array<() => void> = []
  let releasing = false
  const [upstreamHost, upstreamPort] = lab.registry.split(':') as [string, string]
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request(
      { host: upstreamHost, port: Number(upstreamPort), path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }
  const server = createServer((req, res) => {
    if (mode === 'hold' && !releasing && req.url?.includes('/manifests/')) return void held.push(() => forward(req, res))
    if (mode === 'break-blobs' && req.url?.includes('/blobs/')) return void res.writeHead(500).end('broken on purpose')
    forward(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, upstreamHost, resolve))
  return {
    address: `${upstreamHost}:${(server.address() as AddressInfo).port}`,
    held: () => held.length,
    release: () => {
      releasing = true
      for (const go of held.splice(0)) go()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function progressOf(pullId: string): Array<PullProgress & { hostId: string }> {
  return t.events
    .filter((e) => e.event === 'image.pullProgress' && e.payload.pullId === pullId)
    .map((e) => e.payload as unknown as PullProgress & { hostId: string })
}

function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (err: { code: string; message: string }) => err,
  )
}

beforeAll(async () => {
  t = await startCore()
  h1Id = (await connectLabHost(t.core, lab, h1)).id
  h2Id = (await connectLabHost(t.core, lab, h2)).id
  registryTagOnH2 = (await docker(h2, 'images', '-q', registryImage)) !== ''
  // the pull must fetch: remove only the registry-prefixed tag, never lab/busybox:1 itself
  if (registryTagOnH2) await docker(h2, 'rmi', registryImage)
  // the lab pushed it from h1
  registryImageId = await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', registryImage)
  await dropUntaggedRegistryImage()
})

afterAll(async () => {
  await t.core.close()
  if (madeContainers.length) await quiet(docker(h1, 'rm', '-f', ...madeContainers))
  for (const tag of madeTags) await quiet(docker(h1, 'rmi', tag))
  for (const id of madeIds) await quiet(docker(h1, 'rmi', '-f', id))
  await quiet(dropUntaggedRegistryImage())
  const present = (await docker(h2, 'images', '-q', registryImage)) !== ''
  if (present && !registryTagOnH2) await docker(h2, 'rmi', registryImage)
  if (!present && registryTagOnH2) await docker(h2, 'pull', registryImage)
})

describe('images.list and images.inspect', () => {
  it('lists one row per repository:tag, as docker images does, with digest, size and platform', async () => {
    const danglingId = await commitImage('img-dangle:1')
    await commitImage('img-dangle:1', 'LABEL img.second=yes')
    const rows = await call(t.core, 'images.list', { hostId: h1Id })
    const cli = (await docker(h1, 'images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}')).split('\n').sort()
    expect(rows.map((r) => `${r.repository}:${r.tag} ${r.shortId}`).sort()).toEqual(cli)

    const pushed = rows.find((r) => r.repository === `${lab.registry}/lab/busybox` && r.tag === '1')!
    expect(pushed.digest).toBe(await docker(h1, 'image', 'inspect', '-f', '{{index .RepoDigests 0}}', registryImage))
    expect(pushed.id).toBe(await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', registryImage))
    expect(String(pushed.size)).toBe(await docker(h1, 'image', 'inspect', '-f', '{{.Size}}', registryImage))
    expect(`${pushed.os}/${pushed.architecture}`).toBe(
      await docker(h1, 'image', 'inspect', '-f', '{{.Os}}/{{.Architecture}}', registryImage),
    )

    const dangling = rows.find((r) => r.id === danglingId)!
    expect(dangling).toMatchObject({ repository: '<none>', tag: '<none>', dangling: true, digest: null })
  })

  it('counts and names the containers using each image, from every state', async () => {
    const rows = await call(t.core, 'images.list', { hostId: h1Id })
    const base = rows.find((r) => `${r.repository}:${r.tag}` === lab.image)!
    // the seeded containers (running, exited, paused, created) and this file's own
    for (const name of ['web', 'worker', 'job', 'frozen', ...madeContainers]) expect(base.containers.names).toContain(name)
    expect(base.containers.count).toBe(base.containers.names.length)
    // other test files add and remove containers meanwhile: check those still there
    for (const name of base.containers.names) {
      const image = await docker(h1, 'inspect', '-f', '{{.Image}}', name).catch(() => 'gone')
      if (image !== 'gone') expect(image, name).toBe(base.id)
    }
  })

  it('inspects each image once, then answers platforms from its cache', async () => {
    const engine = new Docker({ socketPath: h1.dockerHost.replace(/^unix:\/\//, '') })
    const cache = new PlatformCache(engine)
    const first = await listImages(engine, cache)
    const ids = new Set(first.map((r) => r.id))
    expect(cache.inspections).toBe(ids.size)
    await listImages(engine, cache)
    // only images made since the first list (by other test files) are inspected again
    const made = (await listImages(engine, cache)).filter((r) => !ids.has(r.id)).length
    expect(cache.inspections).toBeLessThanOrEqual(ids.size + made)
  })

  it('inspects config, history and layers as docker image inspect and docker history show them', async () => {
    await commitImage(
      'img-config:1',
      'ENV IMG_MODE=test',
      'EXPOSE 8080/tcp',
      'WORKDIR /srv',
      'USER nobody',
      'LABEL img.purpose=inspect',
      'ENTRYPOINT ["/bin/sh"]',
      'CMD ["-c", "echo hi"]',
    )
    const details = await call(t.core, 'images.inspect', { hostId: h1Id, image: 'img-config:1' })
    const cli = JSON.parse(await docker(h1, 'image', 'inspect', 'img-config:1'))[0]
    expect(details.id).toBe(cli.Id)
    expect(details.config).toEqual({
      cmd: cli.Config.Cmd,
      entrypoint: cli.Config.Entrypoint,
      env: cli.Config.Env,
      exposedPorts: Object.keys(cli.Config.ExposedPorts),
      workingDir: '/srv',
      user: 'nobody',
      labels: { 'img.purpose': 'inspect' },
    })
    expect(details.config.cmd).toEqual(['-c', 'echo hi'])
    expect(details.config.env).toContain('IMG_MODE=test')
    expect(details.config.exposedPorts).toEqual(['8080/tcp'])
    expect(details.layers).toEqual(cli.RootFS.Layers)
    expect(details.repoTags).toEqual(['img-config:1'])
    const history = (await docker(h1, 'history', '--no-trunc', '--human=false', '--format', '{{.CreatedBy}}\t{{.Size}}', 'img-config:1'))
      .split('\n')
      .map((line) => line.split('\t'))
    expect(details.history.map((h) => [h.createdBy, String(h.size)])).toEqual(history)
  })

  it('refuses a bad reference before asking the engine, naming the problem', async () => {
    const err = await failure(call(t.core, 'images.inspect', { hostId: h1Id, image: 'UPPER/case' }))
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.message).toMatch(/repository names must be lowercase: "UPPER\/case"/)
    const missing = await failure(call(t.core, 'images.inspect', { hostId: h1Id, image: 'img-missing:1' }))
    expect(missing.code).toBe('NOT_FOUND')
  })
})

describe('images.pull on h2', () => {
  it('fails the pull on an error line inside the engine\'s progress stream', async () => {
    // the engine must need a blob, so the image may not be on h2 in any form
    expect(await docker(h2, 'images', '-a', '-q', '--no-trunc')).not.toContain(registryImageId)
    const registry = await fakeRegistry('break-blobs')
    try {
      const reference = `${registry.address}/lab/busybox:1`
      const err = await failure(call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-broken', reference }))
      expect(err.code).toBe('INTERNAL')
      expect(err.message).toMatch(new RegExp(`pulling ${reference} failed: .*500`))
      // the engine had started its progress stream: the failure came as a line inside it
      const progress = progressOf('img-pull-broken')
      expect(progress.some((p) => !p.done && p.status?.startsWith('Pulling from'))).toBe(true)
      expect(progress.at(-1)).toMatchObject({ done: true, error: err.message })
      expect(await docker(h2, 'images', '-q', reference)).toBe('')
    } finally {
      await registry.close()
    }
  })

  it('cancels a pull in flight, and the engine does not finish it', async () => {
    const registry = await fakeRegistry('hold')
    try {
      const reference = `${registry.address}/lab/busybox:1`
      const pulling = failure(call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-cancel', reference }))
      await expect.poll(() => registry.held(), { timeout: 15_000 }).toBe(1)
      expect(await call(t.core, 'images.pullCancel', { hostId: h2Id, pullId: 'img-pull-cancel' })).toEqual({ cancelled: true })
      const err = await pulling
      expect(err).toMatchObject({ code: 'CANCELLED', message: `the pull of ${reference} was cancelled` })
      expect(progressOf('img-pull-cancel').at(-1)).toMatchObject({ done: true, error: err.message })
      // engine 20.10 waits out a manifest request it has started; had the pull not been
      // cancelled there, the engine would now finish it and tag the image
      registry.release()
      await new Promise((resolve) => setTimeout(resolve, 5_000))
      expect(await docker(h2, 'images', '-q', reference)).toBe('')
    } finally {
      await registry.close()
      await dropUntaggedRegistryImage()
    }
  })

  it('pulls from the lab registry with layer progress, answering with the id and the RepoDigest', async () => {
    const first = await call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-0', reference: registryImage })
    expect(first.digest).toBe(await docker(h2, 'image', 'inspect', '-f', '{{index .RepoDigests 0}}', registryImage))
    // again without the image but with its layer, which the engine now knows came from this registry
    await docker(h2, 'rmi', registryImage)
    const started = Date.now()
    const result = await call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-1', reference: registryImage })
    const elapsedMs = Date.now() - started
    expect(result.digest).toBe(await docker(h2, 'image', 'inspect', '-f', '{{index .RepoDigests 0}}', registryImage))
    expect(result.id).toBe(await docker(h2, 'image', 'inspect', '-f', '{{.Id}}', registryImage))
    expect(result.reference).toBe(registryImage)

    const progress = progressOf('img-pull-1')
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every((p) => p.hostId === h2Id)).toBe(true)
    const last = progress.at(-1)!
    expect(last).toMatchObject({ done: true })
    expect(last.error).toBeUndefined()
    // the layer is reused, not downloaded again
    expect(last.layers.map((l) => l.status)).toContain('Already exists')
    // throttled to about ten events a second, plus the final one
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 100) + 2)
  })

  it('fails with NOT_FOUND for a tag the registry does not have', async () => {
    const err = await failure(
      call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-2', reference: `${lab.registry}/lab/busybox:img-nope` }),
    )
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toMatch(/10\.77\.0\.1:5000\/lab\/busybox:img-nope was not found/)
    expect(await docker(h2, 'images', '-q', `${lab.registry}/lab/busybox:img-nope`)).toBe('')
  })

  it('fails clearly when the registry host does not exist', async () => {
    const err = await failure(
      call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-3', reference: 'img-nohost.invalid/lab/busybox:1' }),
    )
    expect(err.code).toBe('UNREACHABLE')
    expect(err.message).toMatch(/registry for img-nohost\.invalid\/lab\/busybox:1 cannot be reached/)
  })

  it('refuses an invalid reference or platform without contacting the host', async () => {
    const bad = await failure(call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-4', reference: 'a:b:c' }))
    expect(bad).toMatchObject({ code: 'INVALID_INPUT' })
    expect(bad.message).toMatch(/only one ":tag"/)
    const platform = await failure(
      call(t.core, 'images.pull', { hostId: h2Id, pullId: 'img-pull-5', reference: registryImage, platform: 'amd64' }),
    )
    expect(platform.message).toMatch(/os\/architecture/)
    expect(t.events.some((e) => e.payload.pullId === 'img-pull-4' || e.payload.pullId === 'img-pull-5')).toBe(false)
  })

  it('answers pullCancel for an unknown pull with cancelled: false', async () => {
    expect(await call(t.core, 'images.pullCancel', { hostId: h2Id, pullId: 'img-none' })).toEqual({ cancelled: false })
  })
})

describe('tag, untag, remove and prune on h1', () => {
  it('tags an image and removes just that tag again', async () => {
    madeTags.push('img-tag:a')
    const tagged = await call(t.core, 'images.tag', { hostId: h1Id, image: lab.image, target: 'img-tag:a' })
    const baseId = await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', lab.image)
    expect(tagged).toEqual({ id: baseId, target: 'img-tag:a' })
    expect(await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', 'img-tag:a')).toBe(baseId)

    const removed = await call(t.core, 'images.untag', { hostId: h1Id, reference: 'img-tag:a' })
    expect(removed).toEqual({ untagged: ['img-tag:a'], deleted: [] })
    expect(await docker(h1, 'images', '-q', 'img-tag:a')).toBe('')
    expect(await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', lab.image)).toBe(baseId)
  })

  it('refuses to untag an image\'s last tag, and to remove an image a container uses', async () => {
    const id = await commitImage('img-solo:1')
    const untag = await failure(call(t.core, 'images.untag', { hostId: h1Id, reference: 'img-solo:1' }))
    expect(untag.code).toBe('CONFLICT')
    expect(untag.message).toMatch(/only tag/)

    madeContainers.push('img-user')
    await docker(h1, 'create', '--name', 'img-user', '--network', 'none', 'img-solo:1', 'true')
    const refused = await failure(call(t.core, 'images.remove', { hostId: h1Id, image: 'img-solo:1' }))
    expect(refused.code).toBe('CONFLICT')
    expect(refused.message).toMatch(/used by 1 container: img-user/)
    expect(await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', 'img-solo:1')).toBe(id)

    await docker(h1, 'rm', 'img-user')
    const removed = await call(t.core, 'images.remove', { hostId: h1Id, image: 'img-solo:1' })
    expect(removed.untagged).toEqual(['img-solo:1'])
    expect(removed.deleted).toContain(id)
    expect(await docker(h1, 'images', '-q', '--no-trunc')).not.toContain(id)
  })

  it('previews the dangling images a prune removes, then prunes them', async () => {
    const first = await commitImage('img-prune:1')
    await commitImage('img-prune:1', 'LABEL img.prune=2')
    const preview = await call(t.core, 'images.pruneDangling', { hostId: h1Id, preview: true })
    const cliDangling = (await docker(h1, 'images', '-q', '--no-trunc', '--filter', 'dangling=true')).split('\n')
    expect(preview.images.map((i) => i.id)).toContain(first)
    for (const i of preview.images) expect(cliDangling).toContain(i.id)
    expect(await docker(h1, 'images', '-q', '--no-trunc')).toContain(first)

    const pruned = await call(t.core, 'images.pruneDangling', { hostId: h1Id, preview: false })
    expect(pruned.images.map((i) => i.id)).toContain(first)
    expect(await docker(h1, 'images', '-q', '--no-trunc', '--filter', 'dangling=true')).not.toContain(first)
    expect(await docker(h1, 'images', '-q', '--no-trunc')).not.toContain(first)
  })
})
