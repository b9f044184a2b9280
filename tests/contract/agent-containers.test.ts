/** containers.*: the list as `docker ps -a` shows it, inspect, and each lifecycle action against the engine's HTTP API. */
import { describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'
import { idFor } from './fake-engine/fixtures'

const agent = agentForEachTest()

const row = async (name: string) => (await agent.call('containers.list', {})).find((c) => c.name === name)

describe('containers.list', () => {
  it('lists every container as docker ps -a shows it: names, ports, state, exit code and health', async () => {
    const list = await agent.call('containers.list', {})
    expect(list.map((c) => c.name).sort()).toEqual(['cache', 'db', 'shell', 'web'])
    expect(list.find((c) => c.name === 'web')).toMatchObject({
      id: idFor('web'),
      image: 'nginx:1.25',
      command: '/docker-entrypoint.sh nginx -g daemon off;',
      state: 'running',
      status: 'Up 2 hours (healthy)',
      exitCode: null,
      ports: ['0.0.0.0:8080->80/tcp', '[::]:8080->80/tcp'],
      health: 'healthy',
    })
    expect(list.find((c) => c.name === 'db')).toMatchObject({ state: 'exited', status: 'Exited (1) 5 minutes ago', exitCode: 1, ports: [], health: null })
    expect(list.find((c) => c.name === 'cache')).toMatchObject({ state: 'paused', status: 'Up 2 hours (Paused)' })
    // stopped containers too: the agent asks for all of them
    expect(agent.engine.requested('GET', '/containers/json')[0]!.query.get('all')).toBe('true')
  })

  it("leaves out Berth's own helper containers", async () => {
    await agent.call('volumeFiles.list', { volume: 'web-data', path: '' })
    expect((await agent.call('containers.list', {})).map((c) => c.name)).not.toContain('berth-volume-files-web-data')
    expect([...agent.state.containers.values()].map((c) => c.Name)).toContain('/berth-volume-files-web-data')
  })
})

describe('containers.inspect', () => {
  it('summarizes docker inspect for people and keeps the raw JSON', async () => {
    const details = await agent.call('containers.inspect', { id: 'web' })
    expect(details).toMatchObject({
      id: idFor('web'),
      name: 'web',
      image: 'nginx:1.25',
      command: ['nginx', '-g', 'daemon off;'],
      entrypoint: ['/docker-entrypoint.sh'],
      state: { status: 'running', exitCode: 0, oomKilled: false, finishedAt: null },
      restartPolicy: { name: 'unless-stopped', maximumRetryCount: 0 },
      health: { status: 'healthy', failingStreak: 0, log: [{ exitCode: 0, output: 'ok\n' }] },
      mounts: [{ type: 'volume', name: 'web-data', destination: '/usr/share/nginx/html', readOnly: false }],
      ports: ['0.0.0.0:8080->80/tcp', '[::]:8080->80/tcp'],
      labels: { 'com.docker.compose.project': 'shop' },
    })
    expect(details.networks.map((n) => `${n.name} ${n.ipAddress}`)).toEqual(['bridge 172.17.0.2', 'backend 172.20.0.2'])
    expect(details.raw).toMatchObject({ Id: idFor('web'), Name: '/web', HostConfig: { NetworkMode: 'default' } })
  })

  it("turns the engine's 404 into NOT_FOUND in the engine's words", async () => {
    await expect(agent.call('containers.inspect', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such container: nope' })
  })

  it('refuses a malformed id with INVALID_INPUT before the engine is asked', async () => {
    const before = agent.engine.requests.length
    await expect(agent.call('containers.inspect', { id: '../etc' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(agent.engine.requests.length).toBe(before)
  })
})

describe('start, stop and restart', () => {
  it('starts a stopped container; the list then shows it up', async () => {
    expect(await agent.call('containers.start', { id: 'db' })).toEqual({ id: idFor('db') })
    expect(await row('db')).toMatchObject({ state: 'running', exitCode: null, status: expect.stringMatching(/^Up /) })
  })

  it('starting a running container succeeds, as docker start does (the engine says 304)', async () => {
    await expect(agent.call('containers.start', { id: 'web' })).resolves.toEqual({ id: idFor('web') })
  })

  it('stops with the timeout given, and the list shows the exit code', async () => {
    await agent.call('containers.stop', { id: 'web', timeoutSeconds: 5 })
    expect(agent.engine.requested('POST', `/containers/web/stop`)[0]!.query.get('t')).toBe('5')
    expect(await row('web')).toMatchObject({ state: 'exited', exitCode: 0, status: expect.stringMatching(/^Exited \(0\) /) })
    // stopping it again is no error either
    await expect(agent.call('containers.stop', { id: 'web' })).resolves.toEqual({ id: idFor('web') })
  })

  it('restarts', async () => {
    await agent.call('containers.restart', { id: 'db', timeoutSeconds: 0 })
    expect(await row('db')).toMatchObject({ state: 'running' })
  })

  it('names the missing container when an action finds none', async () => {
    await expect(agent.call('containers.start', { id: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such container: ghost' })
  })
})

describe('kill, pause and unpause', () => {
  it('sends the signal asked for, in the engine form', async () => {
    await agent.call('containers.kill', { id: 'web', signal: 'hup' })
    expect(agent.engine.requested('POST', '/containers/web/kill')[0]!.query.get('signal')).toBe('SIGHUP')
    expect(await row('web')).toMatchObject({ state: 'running' })
    await agent.call('containers.kill', { id: 'web' })
    expect(await row('web')).toMatchObject({ state: 'exited', exitCode: 137 })
  })

  it("rewords the engine's 409 with the container's name and keeps the engine's words beside", async () => {
    const err = await agent.call('containers.kill', { id: 'db' }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'container db is not running (it is exited): there is no process to signal',
      detail: { state: 'exited', engineMessage: `Cannot kill container: db: Container ${idFor('db')} is not running` },
    })
  })

  it('pauses and unpauses; pausing twice says it is already paused', async () => {
    await agent.call('containers.pause', { id: 'web' })
    expect(await row('web')).toMatchObject({ state: 'paused' })
    await expect(agent.call('containers.pause', { id: 'web' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'container web is already paused' })
    await agent.call('containers.unpause', { id: 'web' })
    expect(await row('web')).toMatchObject({ state: 'running' })
  })

  it("explains an unpause of a container that is not paused, though dockerd 20.10 answers 500", async () => {
    await expect(agent.call('containers.unpause', { id: 'db' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'container db is not paused (it is exited)' })
  })

  it('passes an engine failure on as INTERNAL with its words', async () => {
    agent.engine.fail('POST /containers/{id}/pause', 500, 'cannot pause: cgroup freezer is not available')
    await expect(agent.call('containers.pause', { id: 'db' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('db is not running') })
    await expect(agent.call('containers.pause', { id: 'web' })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'the engine failed: cannot pause: cgroup freezer is not available',
    })
  })
})

describe('rename and remove', () => {
  it('renames; the list shows the new name', async () => {
    expect(await agent.call('containers.rename', { id: 'db', name: 'db-old' })).toEqual({ id: idFor('db'), name: 'db-old' })
    expect(await row('db-old')).toMatchObject({ id: idFor('db') })
  })

  it('says which name is taken when the engine answers 409', async () => {
    const err = await agent.call('containers.rename', { id: 'db', name: 'web' }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'the name web is already in use by another container: remove or rename that one first',
      detail: { engineMessage: expect.stringContaining(`The container name "/web" is already in use by container "${idFor('web')}"`) },
    })
  })

  it('refuses to remove a running container without force, saying how', async () => {
    await expect(agent.call('containers.remove', { id: 'web' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'container web is running: stop it first, or remove it with force (docker rm -f)',
    })
    expect(await row('web')).toBeDefined()
  })

  it('removes with force and volumes as asked; the container leaves the list', async () => {
    expect(await agent.call('containers.remove', { id: 'web', force: true, removeVolumes: true })).toEqual({ id: idFor('web') })
    const sent = agent.engine.requested('DELETE', '/containers/web')[0]!.query
    expect([sent.get('force'), sent.get('v')]).toEqual(['true', 'true'])
    expect(await row('web')).toBeUndefined()
  })
})
