/** agent.ping, engine.info and events.subscribe: the engine's facts and its event stream relayed as Berth's events. */
import { describe, expect, it } from 'vitest'
import { AGENT_VERSION, agentForEachTest } from './fake-engine/agent'
import { idFor, imageIdFor } from './fake-engine/fixtures'

const agent = agentForEachTest()

describe('agent.ping and engine.info', () => {
  it('answers ping with its own version and platform', async () => {
    expect(await agent.call('agent.ping', {})).toEqual({ version: AGENT_VERSION, arch: process.arch, node: process.version })
  })

  it('reports the engine as docker info and docker version describe it', async () => {
    expect(await agent.call('engine.info', {})).toEqual({
      arch: 'amd64',
      os: 'linux',
      engineVersion: '20.10.24',
      apiVersion: '1.41',
      hostname: 'shop-prod-1',
      engineName: 'Engine',
      operatingSystem: 'Ubuntu 22.04.3 LTS',
      kernelVersion: '5.15.0-91-generic',
      cpus: 4,
      memoryBytes: 8_235_327_488,
      storageDriver: 'overlay2',
      rootDir: '/var/lib/docker',
      containers: { total: 4, running: 2, paused: 1, stopped: 1 },
      images: 5,
    })
  })

  it("names 32-bit ARM as Raspberry Pi users know it (the engine says arm)", async () => {
    agent.state.version = { Arch: 'arm' }
    expect(await agent.call('engine.info', {})).toMatchObject({ arch: 'armv7' })
  })

  it('says the engine is unavailable, naming its socket, when nothing answers there', async () => {
    await agent.engine.close()
    const err = await agent.call('engine.info', {}).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: `the container engine at ${agent.engine.endpoint} is not answering (ENOENT)` })
  })
})

describe('events.subscribe', () => {
  it('relays a container event as container.stateChanged with the container as the list shows it', async () => {
    expect(await agent.call('events.subscribe', {})).toEqual({ subscribed: true })
    await agent.client.nextEvent('engine.stateChanged', (e) => e.available === true)
    await agent.call('containers.stop', { id: 'web' })
    const change = await agent.client.nextEvent<{ action: string; container: { state: string; exitCode: number } }>('container.stateChanged', (e) => e.action === 'stop')
    expect(change).toMatchObject({ id: idFor('web'), action: 'stop', container: { name: 'web', state: 'exited', exitCode: 0 } })
    // the events the engine sent before it (kill, die) are relayed in order too
    expect(agent.client.received<{ action: string }>('container.stateChanged').map((e) => e.action)).toEqual(['kill', 'die', 'stop'])
  })

  it('says a removed container is gone (container null) and an image change is an object change', async () => {
    await agent.call('events.subscribe', {})
    await agent.client.nextEvent('engine.stateChanged')
    await agent.call('containers.remove', { id: 'db' })
    expect(await agent.client.nextEvent('container.stateChanged', (e) => e.action === 'destroy')).toEqual({ id: idFor('db'), action: 'destroy', container: null })
    await agent.call('images.tag', { image: 'alpine:3.19', target: 'mirror/alpine:3.19' })
    expect(await agent.client.nextEvent('engine.objectChanged')).toEqual({ kind: 'image', action: 'tag', id: imageIdFor('alpine') })
  })

  it('holds one engine stream for all subscribers, however many times each subscribes', async () => {
    const second = await agent.connect()
    await agent.call('events.subscribe', {})
    await agent.call('events.subscribe', {})
    await second.call('events.subscribe', {})
    await second.nextEvent('engine.stateChanged')
    expect(agent.engine.requested('GET', '/events')).toHaveLength(1)
    expect(agent.engine.requested('GET', '/events')[0]!.query.get('filters')).toBe(JSON.stringify({ type: ['container', 'image', 'network', 'volume'] }))
    agent.state.emitContainer(agent.state.container('web'), 'health_status: unhealthy')
    await second.nextEvent('container.stateChanged', (e) => e.action === 'health_status')
    await agent.client.nextEvent('container.stateChanged', (e) => e.action === 'health_status')
  })

  it('tells subscribers when the engine stream breaks, and again when it is back', async () => {
    await agent.call('events.subscribe', {})
    await agent.client.nextEvent('engine.stateChanged', (e) => e.available === true)
    agent.engine.dropConnections()
    expect(await agent.client.nextEvent('engine.stateChanged', (e) => e.available === false)).toEqual({ available: false, message: 'the engine event stream ended' })
    // reopened with backoff; the engine answers again at once
    await expect.poll(() => agent.client.received('engine.stateChanged').length, { timeout: 5_000 }).toBe(3)
    expect(agent.client.received('engine.stateChanged').at(-1)).toEqual({ available: true })
    expect(agent.state.watcherCount).toBe(1)
  })

  it('closes the engine stream when its last subscriber goes', async () => {
    const second = await agent.connect()
    await second.call('events.subscribe', {})
    await second.nextEvent('engine.stateChanged')
    second.peer.close()
    await expect.poll(() => agent.state.watcherCount).toBe(0)
  })
})
