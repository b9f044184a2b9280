/**
 * registry.manifest (the agent asks a registry itself), and registry.checkLogin and
 * registry.push (through the engine, with the login main hands over for the one call).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'
import { addImage } from './fake-engine/fixtures'
import { FakeRegistry } from './fake-engine/registry'

const agent = agentForEachTest()
let registry: FakeRegistry
beforeAll(async () => {
  registry = await FakeRegistry.start()
})
afterAll(() => registry.close())

describe('registry.manifest', () => {
  it("lists an index's platforms with their digests and layers, marks this host's, and leaves out attestations", async () => {
    const report = await agent.call('registry.manifest', { reference: `${registry.domain}/shop/api:1.0` })
    expect(report).toMatchObject({
      reference: `${registry.domain}/shop/api:1.0`,
      registry: registry.domain,
      repository: 'shop/api',
      digest: registry.digestOf('shop/api', '1.0'),
      mediaType: 'application/vnd.oci.image.index.v1+json',
      isIndex: true,
      hostPlatform: 'linux/amd64',
    })
    expect(report.platforms.map((p) => [p.platform, p.thisHost, p.layers.length, p.layersSize])).toEqual([
      ['linux/amd64', true, 2, 3_001_000],
      ['linux/arm64/v8', false, 1, 2_900_000],
    ])
    // over plain http, as the engine talks to a 127.0.0.0/8 registry, after an anonymous token
    expect(registry.requests).toEqual(expect.arrayContaining(['GET /token', 'GET /v2/shop/api/manifests/1.0']))
  })

  it('keeps only the platform asked for, and says NOT_FOUND when the tag has none for it', async () => {
    const arm = await agent.call('registry.manifest', { reference: `${registry.domain}/shop/api:1.0`, platform: 'linux/arm64' })
    expect(arm.platforms.map((p) => p.platform)).toEqual(['linux/arm64/v8'])
    await expect(agent.call('registry.manifest', { reference: `${registry.domain}/shop/api:1.0`, platform: 'linux/s390x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `${registry.domain}/shop/api:1.0 has no manifest for platform linux/s390x`,
    })
  })

  it("takes a single-platform tag's platform from the engine's distribution view", async () => {
    agent.state.registry.set(`${registry.domain}/shop/api:single`, { digest: registry.digestOf('shop/api', 'single'), os: 'linux', architecture: 'arm64', layers: [] })
    const report = await agent.call('registry.manifest', { reference: `${registry.domain}/shop/api:single` })
    expect(report).toMatchObject({ isIndex: false, platforms: [{ platform: 'linux/arm64', thisHost: false, layersSize: 5_000 }] })
  })

  it('says NOT_FOUND for a tag or repository the registry does not have', async () => {
    await expect(agent.call('registry.manifest', { reference: `${registry.domain}/shop/api:2.0` })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `no manifest for shop/api:2.0 in the registry at http://${registry.domain}`,
    })
    await expect(agent.call('registry.manifest', { reference: `${registry.domain}/shop/nope:1` })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `the repository shop/nope does not exist in the registry at http://${registry.domain}`,
    })
  })

  it('says UNREACHABLE when nothing listens at the registry address', async () => {
    const gone = await FakeRegistry.start()
    const domain = gone.domain
    await gone.close()
    await expect(agent.call('registry.manifest', { reference: `${domain}/shop/api:1.0` })).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringContaining(`the registry at http://${domain} cannot be reached from this host: connect ECONNREFUSED`),
    })
  })
})

describe('registry.checkLogin', () => {
  beforeEach(() => agent.state.registryAccounts.set('registry.example.com', { username: 'ci', password: 's3cret' }))

  it("answers with the engine's word when the login is good", async () => {
    expect(await agent.call('registry.checkLogin', { auth: { username: 'ci', password: 's3cret', serveraddress: 'registry.example.com' } })).toEqual({ status: 'Login Succeeded' })
  })

  it('says AUTH_FAILED in the engine words for a wrong password', async () => {
    await expect(agent.call('registry.checkLogin', { auth: { username: 'ci', password: 'wrong', serveraddress: 'registry.example.com' } })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: 'login attempt to http://registry.example.com/v2/ failed with status: 401 Unauthorized',
    })
  })

  it('says UNREACHABLE when the engine cannot find the registry', async () => {
    await expect(agent.call('registry.checkLogin', { auth: { username: 'ci', password: 'x', serveraddress: 'nowhere.example' } })).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringContaining('no such host'),
    })
  })
})

describe('registry.push', () => {
  beforeEach(() => {
    addImage(agent.state, 'shop-api', ['registry.example.com/shop/api:1.0'])
    agent.state.registryAccounts.set('registry.example.com', { username: 'ci', password: 's3cret' })
  })

  it('reports progress per layer and answers with the digest the registry gave', async () => {
    const result = await agent.call('registry.push', {
      pushId: 'push-1',
      reference: 'registry.example.com/shop/api:1.0',
      auth: { username: 'ci', password: 's3cret', serveraddress: 'registry.example.com' },
    })
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const progress = agent.client.received<{ pushId: string; status: string; layer?: string }>('registry.pushProgress')
    expect(progress.every((p) => p.pushId === 'push-1')).toBe(true)
    expect(progress.map((p) => p.status)).toEqual(expect.arrayContaining(['The push refers to repository [registry.example.com/shop/api]', 'Preparing', 'Pushing', 'Pushed']))
    expect(progress.find((p) => p.status === 'Pushing')).toMatchObject({ layer: expect.any(String), current: 512, total: 2048 })
  })

  it('fails with AUTH_FAILED on the error line inside the engine answer', async () => {
    await expect(agent.call('registry.push', { pushId: 'push-2', reference: 'registry.example.com/shop/api:1.0' })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: 'unauthorized: authentication required',
    })
    // an empty login header still goes, as the docker CLI sends it
    expect(agent.engine.requested('POST', /\/push$/)[0]!.headers['x-registry-auth']).toBeTruthy()
  })

  it('says NOT_FOUND before anything goes to the registry for an image that is not here', async () => {
    await expect(agent.call('registry.push', { pushId: 'push-3', reference: 'registry.example.com/shop/web:9' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(agent.engine.requested('POST', /\/push$/)).toEqual([])
  })
})
