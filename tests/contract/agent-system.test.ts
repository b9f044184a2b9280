/** system.df, system.prunePreview and system.prune: the totals `docker system df` prints, and prunes of confirmed items only. */
import { describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'
import { idFor, imageIdFor } from './fake-engine/fixtures'

const agent = agentForEachTest()

describe('system.df', () => {
  it('counts totals, active and reclaimable bytes the way docker system df does', async () => {
    const usage = await agent.call('system.df', {})
    const { items: _i, ...images } = usage.images
    const { items: _c, ...containers } = usage.containers
    const { items: _v, ...volumes } = usage.volumes
    const { items: _b, ...buildCache } = usage.buildCache
    expect({ images, containers, volumes, buildCache }).toEqual({
      images: { totalCount: 5, active: 4, sizeBytes: 768_496_754, reclaimableBytes: 5_120_000 },
      containers: { totalCount: 4, active: 3, sizeBytes: 4_372_000, reclaimableBytes: 1_093_000 },
      volumes: { totalCount: 3, active: 2, sizeBytes: 62_914_560, reclaimableBytes: 0 },
      buildCache: { totalCount: 2, active: 1, sizeBytes: 9_439_232, reclaimableBytes: 9_437_184 },
    })
    expect(usage.images.items.find((i) => i.id === imageIdFor('alpine'))).toMatchObject({ tags: ['alpine:3.19', 'alpine:latest'], containers: 1 })
    expect(usage.containers.items.find((c) => c.name === 'web')).toMatchObject({ image: 'nginx:1.25', state: 'running', localVolumes: 1 })
    expect(usage.volumes.items.find((v) => v.name === 'pgdata')).toEqual({ name: 'pgdata', links: 1, sizeBytes: 50_331_648 })
  })
})

describe('system.prunePreview and system.prune', () => {
  it('previews stopped containers, dangling unused images and unused build cache', async () => {
    expect(await agent.call('system.prunePreview', { kind: 'containers' })).toEqual([
      { id: idFor('db'), label: 'db', detail: 'postgres:16 · Exited (1) 5 minutes ago', sizeBytes: 1_093_000 },
    ])
    expect(await agent.call('system.prunePreview', { kind: 'images' })).toEqual([
      { id: imageIdFor('dangling'), label: imageIdFor('dangling').slice(7, 19), detail: 'dangling image (no tag)', sizeBytes: 5_120_000 },
    ])
    expect(await agent.call('system.prunePreview', { kind: 'buildCache' })).toEqual([
      { id: 'kq3x9p2m7v1nb0c', label: 'mount / from exec /bin/sh -c apk add --no-cache curl', detail: 'regular', sizeBytes: 9_437_184 },
    ])
  })

  it('removes only what a fresh preview still lists, one by one and never forced', async () => {
    const outcome = await agent.call('system.prune', { kind: 'containers', ids: [idFor('db'), idFor('web')] })
    expect(outcome).toEqual({
      removed: [idFor('db')],
      skipped: [{ id: idFor('web'), reason: 'no longer prunable (in use again, or already gone)' }],
      spaceReclaimedBytes: 1_093_000,
    })
    expect(agent.engine.requested('DELETE', '/containers/').map((r) => `${r.path}?${r.query}`)).toEqual([`/containers/${idFor('db')}?`])
  })

  it('skips an item the engine refuses, with its words', async () => {
    agent.engine.fail('DELETE /images/{name*}', 409, `conflict: unable to delete ${imageIdFor('dangling').slice(7, 19)} (cannot be forced) - image has dependent child images`)
    expect(await agent.call('system.prune', { kind: 'images', ids: [imageIdFor('dangling')] })).toEqual({
      removed: [],
      skipped: [{ id: imageIdFor('dangling'), reason: expect.stringContaining('image has dependent child images') }],
      spaceReclaimedBytes: 0,
    })
  })

  it("prunes a build cache entry by id through the engine's filter", async () => {
    expect(await agent.call('system.prune', { kind: 'buildCache', ids: ['kq3x9p2m7v1nb0c'] })).toMatchObject({ removed: ['kq3x9p2m7v1nb0c'], spaceReclaimedBytes: 9_437_184 })
    expect(agent.engine.requested('POST', '/build/prune')[0]!.query.get('filters')).toBe(JSON.stringify({ id: ['kq3x9p2m7v1nb0c'] }))
    expect(agent.state.buildCache.map((c) => c.ID)).toEqual(['w8e7r6t5y4u3i2o'])
  })
})
