/**
 * The agent's container methods and live events against a real lab engine, each result
 * checked with the docker CLI on that host.
 */
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerSummary } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { containerStatus, docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
// a main process that exits at once on SIGTERM, so stops are quick
const quickStop = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait']

let t: TestCore
let hostId: string
const made: string[] = []

beforeAll(async () => {
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
})
afterAll(async () => {
  await t.core.close()
  if (made.length) await docker(h1, 'rm', '-f', ...made)
})

async function makeContainer(name: string, start: boolean): Promise<void> {
  made.push(name)
  await docker(h1, start ? 'run' : 'create', ...(start ? ['-d'] : []), '--name', name, '--network', 'none', lab.image, ...quickStop)
}

const list = () => call(t.core, 'containers.list', { hostId })

describe('containers on a remote host', () => {
  it('lists every container in every state, with the exit code of exited ones', async () => {
    // containers of its own: other test files change the seeded ones
    await makeContainer('t-created', false)
    await makeContainer('t-running', true)
    await makeContainer('t-paused', true)
    await docker(h1, 'pause', 't-paused')
    made.push('t-exited')
    await docker(h1, 'run', '--name', 't-exited', '--network', 'none', lab.image, 'sh', '-c', 'exit 3').catch(() => {})
    const all = await list()
    const byName = Object.fromEntries(all.map((c) => [c.name, c]))
    expect(byName['t-created']).toMatchObject({ state: 'created', exitCode: null, image: lab.image })
    expect(byName['t-running']).toMatchObject({ state: 'running', exitCode: null })
    expect(byName['t-paused']).toMatchObject({ state: 'paused' })
    expect(byName['t-exited']).toMatchObject({ state: 'exited', exitCode: 3, command: "sh -c 'exit 3'" })
    // every container the engine has, each in the state the docker CLI reports
    const cli = (await docker(h1, 'ps', '-a', '--format', '{{.Names}}')).split('\n').sort()
    expect(all.map((c) => c.name).sort()).toEqual(cli)
    for (const c of all) expect(c.state, c.name).toBe(await containerStatus(h1, c.name))
  })

  it('starts and stops a container, as docker start and docker stop would', async () => {
    await makeContainer('t-startstop', false)
    const started = await call(t.core, 'containers.start', { hostId, id: 't-startstop' })
    expect(started.id).toMatch(/^[0-9a-f]{64}$/)
    expect(await containerStatus(h1, 't-startstop')).toBe('running')
    // starting a running container succeeds, like `docker start`
    await call(t.core, 'containers.start', { hostId, id: 't-startstop' })
    await call(t.core, 'containers.stop', { hostId, id: 't-startstop', timeoutSeconds: 5 })
    expect(await containerStatus(h1, 't-startstop')).toBe('exited')
    expect((await list()).find((c) => c.name === 't-startstop')).toMatchObject({ state: 'exited', exitCode: 0 })
  })

  it('sends container.stateChanged when someone uses docker on the host', async () => {
    await makeContainer('t-events', true)
    const seen = (state: string) =>
      t.events.some(
        (e) =>
          e.event === 'container.stateChanged' &&
          e.payload.hostId === hostId &&
          (e.payload.container as ContainerSummary | null)?.name === 't-events' &&
          (e.payload.container as ContainerSummary).state === state,
      )
    await docker(h1, 'stop', 't-events')
    await expect.poll(() => seen('exited'), { timeout: 5_000 }).toBe(true)
    await docker(h1, 'start', 't-events')
    await expect.poll(() => seen('running'), { timeout: 5_000 }).toBe(true)
    await docker(h1, 'rm', '-f', 't-events')
    await expect
      .poll(() => t.events.some((e) => e.event === 'container.stateChanged' && e.payload.action === 'destroy' && e.payload.container === null))
      .toBe(true)
  })

  it('names the problem for unknown containers and invalid references', async () => {
    expect(await t.core.invoke('containers.stop', { hostId, id: 'no-such-thing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-thing') },
    })
    expect(await t.core.invoke('containers.start', { hostId, id: '../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await t.core.invoke('containers.stop', { hostId, id: 'web', timeoutSeconds: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})

describe('host details', () => {
  it('reports the facts docker info and docker version report', async () => {
    const info = await call(t.core, 'engine.info', { hostId })
    const [kernel, cpus, memory, driver, os, rootDir] = (
      await docker(h1, 'info', '-f', '{{.KernelVersion}}|{{.NCPU}}|{{.MemTotal}}|{{.Driver}}|{{.OperatingSystem}}|{{.DockerRootDir}}')
    ).split('|')
    expect(info).toMatchObject({
      arch: 'amd64',
      kernelVersion: kernel,
      cpus: Number(cpus),
      memoryBytes: Number(memory),
      storageDriver: driver,
      operatingSystem: os,
      rootDir,
      engineVersion: await docker(h1, 'version', '-f', '{{.Server.Version}}'),
      apiVersion: await docker(h1, 'version', '-f', '{{.Server.APIVersion}}'),
    })
  })
})

describe('this computer as a host', () => {
  it('appears with no configuration where an engine socket exists, named for this machine', async () => {
    // DOCKER_HOST points the local agent at h2's engine, as the docker CLI would follow it
    const local = await startCore({ DOCKER_HOST: h2.dockerHost })
    try {
      const hosts = await call(local.core, 'hosts.list', {})
      expect(hosts).toEqual([expect.objectContaining({ id: 'local', local: true, name: hostname(), state: 'disconnected' })])
      expect(await call(local.core, 'hosts.connect', { hostId: 'local' })).toMatchObject({ state: 'connected', arch: 'amd64' })
      const names = (await call(local.core, 'containers.list', { hostId: 'local' })).map((c) => c.name)
      expect(names.sort()).toEqual((await docker(h2, 'ps', '-a', '--format', '{{.Names}}')).split('\n').sort())
    } finally {
      await local.core.close()
    }
  })

  it('is absent when there is no engine socket', async () => {
    const none = await startCore({ DOCKER_HOST: 'unix:///run/berth-lab/nothing-here.sock' })
    expect(await call(none.core, 'hosts.list', {})).toEqual([])
    await none.core.close()
  })
})
