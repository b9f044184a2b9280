/**
 * containers.create / containers.run / containers.commit against h1's real engine, every
 * result checked with `docker inspect` on the host, and every bad input shown to leave the
 * engine untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { containerStatus, docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const quickStop = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait']

let t: TestCore
let hostId: string
const made: string[] = []
const images: string[] = []

beforeAll(async () => {
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
})
afterAll(async () => {
  await t.core.close()
  if (made.length) await docker(h1, 'rm', '-f', ...made).catch(() => {})
  if (images.length) await docker(h1, 'rmi', '-f', ...images).catch(() => {})
  // the named volume run-full's spec made
  await docker(h1, 'volume', 'rm', 'run-data').catch(() => {})
})

const inspect = async (name: string) => JSON.parse(await docker(h1, 'inspect', name))[0]
const allContainers = () => docker(h1, 'ps', '-a', '--no-trunc', '--filter', 'name=^run-', '--format', '{{.ID}} {{.Names}}')

describe('containers.create and containers.run', () => {
  it('creates a container with every option, as docker inspect shows them', async () => {
    made.push('run-full')
    const res = await call(t.core, 'containers.create', {
      hostId,
      image: lab.image,
      name: 'run-full',
      command: ['-c', 'echo hi; sleep 100'],
      entrypoint: ['sh'],
      env: ['GREETING=hello world', 'EMPTY=', 'EQ=a=b'],
      ports: ['127.0.0.1:18081:80', '18082:53/udp', '90'],
      volumes: ['run-data:/data', '/tmp:/host-tmp:ro'],
      network: 'none',
      restart: 'on-failure:3',
      labels: ['tier=web', 'empty='],
      interactive: true,
      tty: true,
      workingDir: '/data',
      user: '1000:1000',
    })
    expect(res.name).toBe('run-full')
    expect(res.id).toMatch(/^[a-f0-9]{64}$/)
    const c = await inspect('run-full')
    expect(c.Id).toBe(res.id)
    expect(c.State.Status).toBe('created')
    expect(c.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello world', 'EMPTY=', 'EQ=a=b']))
    expect(c.HostConfig.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18081' }],
      '53/udp': [{ HostIp: '', HostPort: '18082' }],
      '90/tcp': [{ HostIp: '', HostPort: '' }],
    })
    expect(c.HostConfig.Binds).toEqual(['run-data:/data', '/tmp:/host-tmp:ro'])
    const mounts = Object.fromEntries(c.Mounts.map((m: { Destination: string; Type: string; RW: boolean }) => [m.Destination, [m.Type, m.RW]]))
    expect(mounts).toEqual({ '/data': ['volume', true], '/host-tmp': ['bind', false] })
    expect(c.HostConfig.NetworkMode).toBe('none')
    expect(c.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 })
    expect(c.HostConfig.AutoRemove).toBe(false)
    expect(c.Config.Labels).toMatchObject({ tier: 'web', empty: '' })
    expect(c.Config.Cmd).toEqual(['-c', 'echo hi; sleep 100'])
    expect(c.Config.Entrypoint).toEqual(['sh'])
    expect(c.Config.Tty).toBe(true)
    expect(c.Config.OpenStdin).toBe(true)
    expect(c.Config.WorkingDir).toBe('/data')
    expect(c.Config.User).toBe('1000:1000')
  })

  it('runs (creates and starts) a container', async () => {
    made.push('run-started')
    const res = await call(t.core, 'containers.run', { hostId, image: lab.image, name: 'run-started', network: 'none', command: quickStop })
    expect(res.name).toBe('run-started')
    expect(await containerStatus(h1, 'run-started')).toBe('running')
  })

  it('removes an auto-remove (--rm) container once it exits', async () => {
    made.push('run-rm')
    await call(t.core, 'containers.run', { hostId, image: lab.image, name: 'run-rm', network: 'none', autoRemove: true, command: ['sh', '-c', 'sleep 1'] })
    expect(await docker(h1, 'inspect', '-f', '{{.HostConfig.AutoRemove}}', 'run-rm').catch(() => 'gone')).toMatch(/true|gone/)
    const deadline = Date.now() + 15_000
    let names = await docker(h1, 'ps', '-a', '--format', '{{.Names}}')
    while (names.split('\n').includes('run-rm') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300))
      names = await docker(h1, 'ps', '-a', '--format', '{{.Names}}')
    }
    expect(names.split('\n')).not.toContain('run-rm')
  })

  it('refuses a missing image with NOT_FOUND saying to pull it, and creates nothing', async () => {
    const before = await allContainers()
    await expect(call(t.core, 'containers.run', { hostId, image: 'lab/not-here:9', name: 'run-missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/lab\/not-here:9 is not on this host: pull it first/),
    })
    expect(await allContainers()).toBe(before)
  })

  it.each([
    [{ ports: ['99999:80'] }, /host port 99999 in "99999:80" is out of range/],
    [{ ports: ['abc'] }, /container port "abc" in "abc" is not a number/],
    [{ env: ['A=1', 'NOEQUALS'] }, /environment line 2 "NOEQUALS" has no "="/],
    [{ name: 'has space' }, /a container name starts with a letter or digit/],
    [{ volumes: ['data:relative'] }, /must be an absolute path/],
    [{ restart: 'sometimes' }, /restart policy "sometimes" is not one of/],
    [{ image: 'UPPER:1' }, /repository names must be lowercase/],
    [{ autoRemove: true, restart: 'always' }, /cannot be combined with a restart policy/],
  ])('refuses %o before anything reaches the engine', async (bad, message) => {
    const before = await allContainers()
    await expect(call(t.core, 'containers.create', { hostId, image: lab.image, name: 'run-bad', ...bad })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(message),
    })
    expect(await allContainers()).toBe(before)
  })
})

describe('containers.commit', () => {
  it('commits a container that wrote a file; the new image has the file, the changes, the author and comment', async () => {
    made.push('run-commit-src', 'run-commit-check')
    await docker(h1, 'run', '--name', 'run-commit-src', '--network', 'none', lab.image, 'sh', '-c', 'echo committed > /note.txt')
    images.push('run-commit/img:v1')
    const res = await call(t.core, 'containers.commit', {
      hostId,
      id: 'run-commit-src',
      repository: 'run-commit/img',
      tag: 'v1',
      message: 'saved the note',
      author: 'Lab Tester <lab@example.com>',
      changes: ['CMD ["cat", "/note.txt"]', 'ENV NOTE=yes', 'LABEL made.by=berth', 'EXPOSE 8080', 'WORKDIR /srv', 'USER 1000'],
    })
    expect(res.imageId).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(res.reference).toBe('run-commit/img:v1')
    // user 1000 can still read the world-readable file
    expect(await docker(h1, 'run', '--name', 'run-commit-check', '--network', 'none', 'run-commit/img:v1')).toBe('committed')
    const img = JSON.parse(await docker(h1, 'image', 'inspect', 'run-commit/img:v1'))[0]
    expect(img.Id).toBe(res.imageId)
    expect(img.Author).toBe('Lab Tester <lab@example.com>')
    expect(img.Comment).toBe('saved the note')
    expect(img.Config.Cmd).toEqual(['cat', '/note.txt'])
    expect(img.Config.Env).toContain('NOTE=yes')
    expect(img.Config.Labels).toMatchObject({ 'made.by': 'berth' })
    expect(Object.keys(img.Config.ExposedPorts)).toContain('8080/tcp')
    expect(img.Config.WorkingDir).toBe('/srv')
    expect(img.Config.User).toBe('1000')
  })

  it('refuses a bad change line naming it, and makes no image', async () => {
    const before = await docker(h1, 'images', '-q', '--no-trunc')
    await expect(
      call(t.core, 'containers.commit', { hostId, id: 'web', repository: 'run-commit/bad', changes: ['ENV A=b', 'EXPOSE http'] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/change 2 "EXPOSE http": "http" is not a port/) })
    expect(await docker(h1, 'images', '-q', '--no-trunc')).toBe(before)
  })
})
