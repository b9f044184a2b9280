/** images.*: the rows of `docker images`, inspect, pulls with per-layer progress, tag, untag, remove and prune. */
import { beforeEach, describe, expect, it } from 'vitest'
import type { PullProgress } from '../../protocol/schema'
import { agentForEachTest } from './fake-engine/agent'
import { imageIdFor } from './fake-engine/fixtures'

const agent = agentForEachTest()
beforeEach(() => {
  agent.state.registry.set('alpine:3.20', {
    digest: 'sha256:77726ef6b57ddf65bb551896826ec38bc3e53f75cdde31354fbffb4f25238ebd',
    os: 'linux',
    architecture: 'amd64',
    layers: [
      { id: 'c6a83fedfae6', size: 3_623_807 },
      { id: '4abcf2066143', size: 1_024 },
    ],
  })
})

const progressOf = (pullId: string) => agent.client.received<PullProgress>('image.pullProgress', (p) => p.pullId === pullId)

describe('images.list and images.inspect', () => {
  it('gives one row per tag with platform and users, and the dangling image as <none>', async () => {
    const rows = await agent.call('images.list', {})
    expect(rows.map((r) => `${r.repository}:${r.tag}`).sort()).toEqual(['<none>:<none>', 'alpine:3.19', 'alpine:latest', 'nginx:1.25', 'postgres:16', 'redis:7'])
    expect(rows.find((r) => r.repository === 'nginx')).toMatchObject({
      id: imageIdFor('nginx'),
      shortId: imageIdFor('nginx').slice(7, 19),
      digest: expect.stringMatching(/^nginx@sha256:/),
      size: 187_000_000,
      os: 'linux',
      architecture: 'amd64',
      dangling: false,
      containers: { count: 1, names: ['web'] },
    })
    expect(rows.find((r) => r.repository === 'redis')).toMatchObject({ architecture: 'arm64', variant: 'v8', containers: { count: 1, names: ['cache'] } })
    expect(rows.find((r) => r.dangling)).toMatchObject({ repository: '<none>', tag: '<none>', digest: null, repoDigests: [], containers: { count: 0, names: [] } })
  })

  it('inspects each image once for its platform, not on every list', async () => {
    await agent.call('images.list', {})
    await agent.call('images.list', {})
    expect(agent.engine.requested('GET', /^\/images\/sha256:[0-9a-f]{64}\/json$/)).toHaveLength(5)
  })

  it('inspects an image with its config and its history newest first', async () => {
    const details = await agent.call('images.inspect', { image: 'nginx:1.25' })
    expect(details).toMatchObject({
      id: imageIdFor('nginx'),
      repoTags: ['nginx:1.25'],
      os: 'linux',
      architecture: 'amd64',
      config: { cmd: ['nginx', '-g', 'daemon off;'], entrypoint: ['/docker-entrypoint.sh'], exposedPorts: ['80/tcp'], labels: { maintainer: expect.any(String) } },
    })
    expect(details.history.map((h) => h.createdBy)).toEqual(['/bin/sh -c #(nop)  CMD ["/bin/sh"]', '/bin/sh -c #(nop) ADD file:9a4f77dfaba7fd2aa in / '])
    await expect(agent.call('images.inspect', { image: 'nope:1' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such image: nope:1' })
  })
})

describe('images.pull', () => {
  it('reports progress per layer and ends with done, then answers with the image and its digest', async () => {
    // lines a registry's pace apart, so progress goes out (at most every 100 ms) while layers download
    agent.state.registry.get('alpine:3.20')!.gapMs = 30
    const result = await agent.call('images.pull', { pullId: 'p1', reference: 'alpine:3.20' })
    expect(result).toEqual({
      id: agent.state.image('alpine:3.20').Id,
      digest: 'alpine@sha256:77726ef6b57ddf65bb551896826ec38bc3e53f75cdde31354fbffb4f25238ebd',
      reference: 'alpine:3.20',
    })
    const sent = agent.engine.requested('POST', '/images/create')[0]!.query
    expect([sent.get('fromImage'), sent.get('tag')]).toEqual(['docker.io/library/alpine', '3.20'])
    const last = progressOf('p1').at(-1)!
    expect(last).toMatchObject({ done: true, status: 'Status: Downloaded newer image for alpine:3.20' })
    expect(last.layers).toEqual([
      { id: 'c6a83fedfae6', status: 'Pull complete' },
      { id: '4abcf2066143', status: 'Pull complete' },
    ])
    // a layer's byte counts show while it downloads
    const downloading = progressOf('p1').flatMap((p) => p.layers).find((l) => l.status === 'Downloading')
    expect(downloading).toMatchObject({ id: expect.any(String), current: expect.any(Number), total: expect.any(Number) })
  })

  it('says so when the image is already up to date', async () => {
    await agent.call('images.pull', { pullId: 'p1', reference: 'alpine:3.20' })
    await agent.call('images.pull', { pullId: 'p2', reference: 'alpine:3.20' })
    expect(progressOf('p2').at(-1)).toMatchObject({ done: true, status: 'Status: Image is up to date for alpine:3.20', layers: [] })
  })

  it('fails on an error line inside the 200 answer, and the last progress carries it', async () => {
    agent.state.registry.set('alpine:3.20', { ...agent.state.registry.get('alpine:3.20')!, failWith: 'toomanyrequests: You have reached your pull rate limit.' })
    await expect(agent.call('images.pull', { pullId: 'p1', reference: 'alpine:3.20' })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'pulling alpine:3.20 failed: toomanyrequests: You have reached your pull rate limit.',
    })
    expect(progressOf('p1').at(-1)).toMatchObject({ done: true, error: expect.stringContaining('pull rate limit') })
    expect(agent.state.findImage('alpine:3.20')).toBeUndefined()
  })

  it("turns the registry's manifest unknown (engine 404) into NOT_FOUND", async () => {
    await expect(agent.call('images.pull', { pullId: 'p1', reference: 'alpine:9.99' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'alpine:9.99 was not found in its registry: manifest for alpine:9.99 not found: manifest unknown: manifest unknown',
    })
  })

  it('sends the login main hands over, and fails with AUTH_FAILED without it', async () => {
    agent.state.registry.set('127.0.0.1:5000/shop/api:1.0', { digest: 'sha256:1111', os: 'linux', architecture: 'amd64', layers: [{ id: 'aaaaaaaaaaaa', size: 10 }] })
    agent.state.registryAccounts.set('127.0.0.1:5000', { username: 'ci', password: 's3cret' })
    await expect(agent.call('images.pull', { pullId: 'p1', reference: '127.0.0.1:5000/shop/api:1.0' })).rejects.toMatchObject({ code: 'AUTH_FAILED' })
    const auth = { username: 'ci', password: 's3cret', serveraddress: '127.0.0.1:5000' }
    await expect(agent.call('images.pull', { pullId: 'p2', reference: '127.0.0.1:5000/shop/api:1.0', auth })).resolves.toMatchObject({ reference: '127.0.0.1:5000/shop/api:1.0' })
    const header = agent.engine.requested('POST', '/images/create').at(-1)!.headers['x-registry-auth'] as string
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toEqual(auth)
  })

  it('cancels a running pull on images.pullCancel: the engine connection closes', async () => {
    agent.state.registry.set('alpine:3.20', { ...agent.state.registry.get('alpine:3.20')!, gapMs: 300 })
    const pulling = agent.call('images.pull', { pullId: 'slow', reference: 'alpine:3.20' }).catch((e: unknown) => e)
    await agent.client.nextEvent<PullProgress>('image.pullProgress', (p) => p.pullId === 'slow')
    expect(await agent.call('images.pullCancel', { pullId: 'slow' })).toEqual({ cancelled: true })
    expect(await pulling).toMatchObject({ code: 'CANCELLED', message: 'the pull of alpine:3.20 was cancelled' })
    expect(progressOf('slow').at(-1)).toMatchObject({ done: true, error: 'the pull of alpine:3.20 was cancelled' })
    expect(await agent.call('images.pullCancel', { pullId: 'slow' })).toEqual({ cancelled: false })
  })

  it('refuses a second pull with the same id while the first runs', async () => {
    agent.state.registry.set('alpine:3.20', { ...agent.state.registry.get('alpine:3.20')!, gapMs: 100 })
    const first = agent.call('images.pull', { pullId: 'same', reference: 'alpine:3.20' })
    await expect(agent.call('images.pull', { pullId: 'same', reference: 'alpine:3.20' })).rejects.toMatchObject({ code: 'CONFLICT' })
    await first
  })
})

describe('tag, untag, remove and prune', () => {
  it('tags an image and untags one of its tags', async () => {
    expect(await agent.call('images.tag', { image: 'nginx:1.25', target: 'shop/nginx:stable' })).toEqual({ id: imageIdFor('nginx'), target: 'shop/nginx:stable' })
    expect(agent.state.image('nginx:1.25').RepoTags).toEqual(['nginx:1.25', 'shop/nginx:stable'])
    expect(await agent.call('images.untag', { reference: 'shop/nginx:stable' })).toEqual({ untagged: ['shop/nginx:stable'], deleted: [] })
    expect(agent.state.image('nginx:1.25').RepoTags).toEqual(['nginx:1.25'])
  })

  it("refuses to untag an image's last tag, which would remove the image", async () => {
    await expect(agent.call('images.untag', { reference: 'nginx:1.25' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `nginx:1.25 is the only tag of image ${imageIdFor('nginx').slice(7, 19)}: removing it would remove the image (use Remove instead)`,
    })
  })

  it('refuses to remove an image a container uses, naming the containers', async () => {
    await expect(agent.call('images.remove', { image: 'postgres:16' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'image postgres:16 is used by 1 container: db; remove the container first',
      detail: { containers: ['db'] },
    })
    expect(agent.engine.requested('DELETE', '/images/')).toEqual([])
  })

  it('removes an image with every tag, as docker rmi -f <id> does', async () => {
    await agent.call('containers.remove', { id: 'shell', force: true })
    const removed = await agent.call('images.remove', { image: 'alpine:3.19' })
    expect(removed.untagged).toEqual(expect.arrayContaining(['alpine:3.19', 'alpine:latest']))
    expect(removed.deleted[0]).toBe(imageIdFor('alpine'))
    expect(agent.state.findImage('alpine:latest')).toBeUndefined()
  })

  it('previews the dangling images a prune would take, then prunes them', async () => {
    const expected = { images: [{ id: imageIdFor('dangling'), size: 5_120_000 }], spaceReclaimed: 5_120_000 }
    expect(await agent.call('images.pruneDangling', { preview: true })).toEqual(expected)
    expect(agent.engine.requested('POST', '/images/prune')).toEqual([])
    expect(await agent.call('images.pruneDangling', { preview: false })).toEqual(expected)
    expect(agent.state.images.has(imageIdFor('dangling'))).toBe(false)
  })
})
