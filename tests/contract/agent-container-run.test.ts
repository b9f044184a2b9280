/** containers.create, containers.run and containers.commit: what reaches the engine's create body, and what comes back. */
import { describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'

const agent = agentForEachTest()

const createBody = () => {
  const sent = agent.engine.requested('POST', '/containers/create').at(-1)!
  return { name: sent.query.get('name'), body: JSON.parse(sent.body.toString('utf8')) as Record<string, unknown> }
}

describe('containers.create', () => {
  it('sends the create body the docker CLI would build, and answers with the new container', async () => {
    const made = await agent.call('containers.create', {
      image: 'nginx:1.25',
      name: 'web2',
      ports: ['127.0.0.1:8081:80'],
      volumes: ['web-data:/usr/share/nginx/html:ro'],
      env: ['MODE=staging'],
      labels: ['team=shop'],
      restart: 'on-failure:3',
      network: 'backend',
      command: ['nginx', '-T'],
    })
    expect(made.name).toBe('web2')
    const { name, body } = createBody()
    expect(name).toBe('web2')
    expect(body).toMatchObject({
      Image: 'nginx:1.25',
      Env: ['MODE=staging'],
      Labels: { team: 'shop' },
      ExposedPorts: { '80/tcp': {} },
      Cmd: ['nginx', '-T'],
      Tty: false,
      HostConfig: {
        Binds: ['web-data:/usr/share/nginx/html:ro'],
        PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }] },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        NetworkMode: 'backend',
        AutoRemove: false,
      },
    })
    expect((await agent.call('containers.list', {})).find((c) => c.name === 'web2')).toMatchObject({ id: made.id, state: 'created', status: 'Created' })
  })

  it('says to pull an image that is not on the host, and creates nothing', async () => {
    await expect(agent.call('containers.create', { image: 'ghcr.io/acme/api:2' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'image ghcr.io/acme/api:2 is not on this host: pull it first (docker pull ghcr.io/acme/api:2)',
    })
    expect(agent.engine.requested('POST', '/containers/create')).toEqual([])
  })

  it('says the name is taken, keeping the engine words', async () => {
    const err = await agent.call('containers.create', { image: 'alpine:3.19', name: 'db' }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'the name db is already in use by another container: pick another name or remove that one',
      detail: { engineMessage: expect.stringContaining('is already in use by container') },
    })
  })

  it("passes on the engine's NOT_FOUND for a network that does not exist", async () => {
    await expect(agent.call('containers.create', { image: 'alpine:3.19', network: 'nowhere' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'network nowhere not found' })
  })

  it('refuses a malformed port line before anything is sent', async () => {
    await expect(agent.call('containers.create', { image: 'alpine:3.19', ports: ['80:eighty'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(agent.engine.requested('POST', '/containers/create')).toEqual([])
  })
})

describe('containers.run', () => {
  it('creates and starts, as docker run -d does', async () => {
    const made = await agent.call('containers.run', { image: 'alpine:3.19', name: 'job', command: ['sleep', '60'] })
    expect((await agent.call('containers.list', {})).find((c) => c.id === made.id)).toMatchObject({ name: 'job', state: 'running' })
  })

  it('leaves the container created and says why it did not start', async () => {
    const err = await agent.call('containers.run', { image: 'nginx:1.25', name: 'web-again', ports: ['8080:80'] }).catch((e: unknown) => e)
    const made = (await agent.call('containers.list', {})).find((c) => c.name === 'web-again')!
    expect(made.state).toBe('created')
    expect(err).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/^container web-again was created but did not start: driver failed .* Bind for 0\.0\.0\.0:8080 failed: port is already allocated$/),
      detail: { id: made.id },
    })
  })
})

describe('containers.commit', () => {
  it("makes an image of the container's changes with the repository, tag, message and changes given", async () => {
    const made = await agent.call('containers.commit', {
      id: 'web',
      repository: 'shop/web-snapshot',
      tag: 'v2',
      message: 'before the upgrade',
      author: 'Jane <jane@example.com>',
      changes: ['ENV MODE=frozen'],
    })
    expect(made.reference).toBe('shop/web-snapshot:v2')
    const sent = agent.engine.requested('POST', '/commit')[0]!.query
    expect(Object.fromEntries(sent)).toMatchObject({ container: 'web', repo: 'shop/web-snapshot', tag: 'v2', comment: 'before the upgrade', pause: 'true' })
    const image = await agent.call('images.inspect', { image: 'shop/web-snapshot:v2' })
    expect(image).toMatchObject({ id: made.imageId, author: 'Jane <jane@example.com>' })
    expect(image.config.env).toContain('MODE=frozen')
  })

  it('says NOT_FOUND for a container that is not there', async () => {
    await expect(agent.call('containers.commit', { id: 'ghost', repository: 'x/y' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such container: ghost' })
  })
})
