/**
 * Container actions past start and stop (kill, restart, pause, unpause, rename, remove), the
 * inspect summary and the list's ports and health, against a real lab engine, each result
 * checked with the docker CLI on that host. Every container here is this file's own (ca-*).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AgentMethod, ContainerSummary } from '../../protocol/schema'
import { call, connectLabHost, type HostParams, onHost, startCore, type TestCore } from './support/core'
import { containerStatus, docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
// exits at once on SIGTERM (with 0), so stops and SIGTERM kills are quick and recognisable
const quickStop = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait']
const NETWORK = 'ca-net'

let t: TestCore
let hostId: string

beforeAll(async () => {
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
  await cleanup()
})
afterAll(async () => {
  await t?.core.close()
  await cleanup()
})

async function cleanup(): Promise<void> {
  const leftovers = (await docker(h1, 'ps', '-aq', '--filter', 'name=^ca-')).split('\n').filter(Boolean)
  if (leftovers.length) await docker(h1, 'rm', '-f', '-v', ...leftovers)
  await docker(h1, 'network', 'rm', NETWORK).catch(() => {})
  await docker(h1, 'volume', 'rm', 'ca-inspect-data').catch(() => {})
}

async function run(name: string, ...args: string[]): Promise<void> {
  await docker(h1, 'run', '-d', '--name', name, '--network', 'none', ...args, lab.image, ...quickStop)
}

const invoke = (method: string, params: Record<string, unknown>) => t.core.invoke(method, { hostId, ...params })
const act = <M extends AgentMethod>(method: M, params: HostParams<M>) => call(t.core, method, onHost<M>(hostId, params))
const listed = async (name: string) => (await act('containers.list', {})).find((c) => c.name === name)
const cli = (name: string, format: string) => docker(h1, 'inspect', '-f', format, name)

describe('container actions, as the docker CLI on the host sees them', () => {
  it('shows the exit code of a container that exited non-zero', async () => {
    await docker(h1, 'run', '--name', 'ca-exit7', '--network', 'none', lab.image, 'sh', '-c', 'exit 7').catch(() => {})
    expect(await listed('ca-exit7')).toMatchObject({ state: 'exited', exitCode: 7 })
    expect((await act('containers.inspect', { id: 'ca-exit7' })).state).toMatchObject({ status: 'exited', exitCode: 7 })
    expect(await cli('ca-exit7', '{{.State.ExitCode}}')).toBe('7')
  })

  it('sees a container with restart policy "always" restarting', async () => {
    await docker(h1, 'run', '-d', '--name', 'ca-flappy', '--network', 'none', '--restart', 'always', lab.image, 'sh', '-c', 'sleep 1; exit 1')
    await expect
      .poll(
        async () => {
          const [c, details] = [await listed('ca-flappy'), await act('containers.inspect', { id: 'ca-flappy' })]
          return c?.state === 'restarting' || details.restartCount > 0
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(true)
    expect(Number(await cli('ca-flappy', '{{.RestartCount}}'))).toBeGreaterThan(0)
    const details = await act('containers.inspect', { id: 'ca-flappy' })
    expect(details.restartPolicy.name).toBe('always')
  })

  it('pauses and unpauses a running container', async () => {
    await run('ca-pause')
    await act('containers.pause', { id: 'ca-pause' })
    expect(await containerStatus(h1, 'ca-pause')).toBe('paused')
    expect(await listed('ca-pause')).toMatchObject({ state: 'paused' })
    await act('containers.unpause', { id: 'ca-pause' })
    expect(await containerStatus(h1, 'ca-pause')).toBe('running')
  })

  it('kills with SIGKILL by default, and with the signal given otherwise', async () => {
    await run('ca-kill-default')
    await run('ca-kill-term')
    await act('containers.kill', { id: 'ca-kill-default' })
    // the trap only answers TERM: SIGTERM lets it exit 0, SIGKILL leaves 128 + 9
    await act('containers.kill', { id: 'ca-kill-term', signal: 'SIGTERM' })
    await expect.poll(() => containerStatus(h1, 'ca-kill-term')).toBe('exited')
    await expect.poll(() => containerStatus(h1, 'ca-kill-default')).toBe('exited')
    expect(await cli('ca-kill-default', '{{.State.ExitCode}}')).toBe('137')
    expect(await cli('ca-kill-term', '{{.State.ExitCode}}')).toBe('0')
  })

  it('restarts a running container, with a new start time', async () => {
    await run('ca-restart')
    const before = await cli('ca-restart', '{{.State.StartedAt}}')
    await act('containers.restart', { id: 'ca-restart', timeoutSeconds: 5 })
    expect(await containerStatus(h1, 'ca-restart')).toBe('running')
    expect(await cli('ca-restart', '{{.State.StartedAt}}')).not.toBe(before)
  })

  it('renames a container', async () => {
    await run('ca-old')
    const renamed = await act('containers.rename', { id: 'ca-old', name: 'ca-new' })
    expect(renamed.name).toBe('ca-new')
    expect(await cli(renamed.id, '{{.Name}}')).toBe('/ca-new')
    expect(await listed('ca-new')).toMatchObject({ id: renamed.id })
    expect(await listed('ca-old')).toBeUndefined()
  })

  it('removes a running container with force, and its anonymous volume with removeVolumes', async () => {
    await run('ca-doomed', '-v', '/data')
    const volume = await cli('ca-doomed', '{{range .Mounts}}{{.Name}}{{end}}')
    expect(await docker(h1, 'volume', 'ls', '-q')).toContain(volume)
    await act('containers.remove', { id: 'ca-doomed', force: true, removeVolumes: true })
    expect(await docker(h1, 'ps', '-aq', '--filter', 'name=^ca-doomed$')).toBe('')
    expect((await docker(h1, 'volume', 'ls', '-q')).split('\n')).not.toContain(volume)
  })
})

describe('events after an action', () => {
  it('carry the state the action left, not the one before it', async () => {
    await run('ca-events')
    const seen = () =>
      t.events
        .filter((e) => e.event === 'container.stateChanged' && (e.payload.container as ContainerSummary | null)?.name?.startsWith('ca-events'))
        .map((e) => `${e.payload.action as string}:${(e.payload.container as ContainerSummary).state}`)
    await act('containers.pause', { id: 'ca-events' })
    await act('containers.unpause', { id: 'ca-events' })
    await act('containers.rename', { id: 'ca-events', name: 'ca-events-2' })
    await act('containers.kill', { id: 'ca-events-2' })
    // the engine announces pause and unpause before its list shows them: the lookup must wait
    await expect.poll(seen).toEqual(expect.arrayContaining(['pause:paused', 'unpause:running', 'rename:running', 'die:exited']))
    expect(seen()).not.toContain('pause:running')
    expect(seen()).not.toContain('unpause:paused')
  })
})

describe('refused actions say why', () => {
  it('refuses to pause a container that is not running', async () => {
    await docker(h1, 'create', '--name', 'ca-created', '--network', 'none', lab.image, ...quickStop)
    expect(await invoke('containers.pause', { id: 'ca-created' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('container ca-created is not running') },
    })
    expect(await invoke('containers.kill', { id: 'ca-created' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('container ca-created is not running') },
    })
    expect(await containerStatus(h1, 'ca-created')).toBe('created')
  })

  it('refuses to unpause a container that is not paused', async () => {
    await run('ca-awake')
    expect(await invoke('containers.unpause', { id: 'ca-awake' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'container ca-awake is not paused (it is running)' },
    })
  })

  it('refuses to remove a running container without force, and says to stop it or use force', async () => {
    await run('ca-keep')
    const answer = await invoke('containers.remove', { id: 'ca-keep' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const message = answer.ok ? '' : answer.error.message
    expect(message).toContain('container ca-keep is running')
    expect(message).toMatch(/stop it first, or remove it with force/)
    expect(await containerStatus(h1, 'ca-keep')).toBe('running')
  })

  it('refuses a name already in use, and names the problem', async () => {
    await run('ca-taken')
    await run('ca-wants')
    expect(await invoke('containers.rename', { id: 'ca-wants', name: 'ca-taken' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('the name ca-taken is already in use') },
    })
    expect(await cli('ca-wants', '{{.Name}}')).toBe('/ca-wants')
  })

  it('refuses bad input before anything reaches the engine', async () => {
    await run('ca-input')
    const bad = [
      ['containers.rename', { id: 'ca-input', name: '-dash' }, 'name: a container name starts with a letter or digit'],
      ['containers.rename', { id: 'ca-input', name: 'has space' }, 'name: a container name'],
      ['containers.kill', { id: 'ca-input', signal: 'SIGNOPE' }, 'signal: a signal is a name like SIGTERM'],
      ['containers.kill', { id: 'ca-input', signal: '65' }, 'from 1 to 64'],
      ['containers.restart', { id: 'ca-input', timeoutSeconds: -1 }, 'timeoutSeconds: the timeout is 0 seconds or more'],
      ['containers.remove', { id: 'ca-input', force: 'yes' }, 'force'],
    ] as const
    for (const [method, params, message] of bad) {
      expect(await invoke(method, params), `${method} ${JSON.stringify(params)}`).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining(message) },
      })
    }
    // nothing happened to it
    expect(await cli('ca-input', '{{.Name}} {{.State.Status}}')).toBe('/ca-input running')
  })

  it('accepts signals the way docker kill -s does: names with or without SIG, and numbers', async () => {
    // PID 1 ignores signals it has no handler for, so these containers trap HUP
    const trapsHup = ['sh', '-c', 'trap "exit 5" HUP; trap "exit 0" TERM; sleep 1000000 & wait']
    for (const name of ['ca-hup-name', 'ca-hup-number']) {
      await docker(h1, 'run', '-d', '--name', name, '--network', 'none', lab.image, ...trapsHup)
    }
    await act('containers.kill', { id: 'ca-hup-name', signal: 'hup' })
    await act('containers.kill', { id: 'ca-hup-number', signal: '1' })
    await expect.poll(() => cli('ca-hup-name', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 5')
    await expect.poll(() => cli('ca-hup-number', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 5')
  })
})

describe('containers.inspect', () => {
  it('summarizes a container with env, labels, a volume mount and a restart policy', async () => {
    await docker(h1, 'network', 'create', NETWORK)
    await docker(
      h1, 'run', '-d', '--name', 'ca-inspect', '--network', NETWORK, '-p', '18081:80',
      '-e', 'GREETING=hello', '-l', 'tier=backend', '-v', 'ca-inspect-data:/data:ro', '--restart', 'on-failure:3',
      '--health-cmd', 'true', '--health-interval', '1s', '--entrypoint', 'sh', lab.image, '-c', 'sleep 1000000',
    )
    await expect.poll(() => cli('ca-inspect', '{{.State.Health.Status}}'), { timeout: 10_000 }).toBe('healthy')
    const d = await act('containers.inspect', { id: 'ca-inspect' })
    expect(d).toMatchObject({
      name: 'ca-inspect',
      image: lab.image,
      entrypoint: ['sh'],
      command: ['-c', 'sleep 1000000'],
      state: { status: 'running', exitCode: 0, finishedAt: null },
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      restartCount: 0,
      labels: { tier: 'backend' },
      ports: ['0.0.0.0:18081->80/tcp', '[::]:18081->80/tcp'],
    })
    expect(d.env).toContain('GREETING=hello')
    expect(d.mounts).toEqual([
      expect.objectContaining({ type: 'volume', name: 'ca-inspect-data', destination: '/data', readOnly: true }),
    ])
    expect(d.mounts[0]!.source).toBe(await cli('ca-inspect', '{{range .Mounts}}{{.Source}}{{end}}'))
    expect(d.networks).toEqual([expect.objectContaining({ name: NETWORK, ipAddress: await cli('ca-inspect', `{{(index .NetworkSettings.Networks "${NETWORK}").IPAddress}}`) })])
    expect(d.networks[0]!.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(d.health?.status).toBe('healthy')
    expect(d.health?.log.length).toBeGreaterThan(0)
    expect(d.state.startedAt).toBe(await cli('ca-inspect', '{{.State.StartedAt}}'))
    expect(d.created).toBe(await cli('ca-inspect', '{{.Created}}'))
    expect((d.raw as { Id?: string }).Id).toBe(await cli('ca-inspect', '{{.Id}}'))
  })

  it('lists published ports and health as docker ps shows them', async () => {
    const c = await listed('ca-inspect')
    expect(c?.health).toBe('healthy')
    const cliPorts = await docker(h1, 'ps', '--filter', 'name=^ca-inspect$', '--format', '{{.Ports}}')
    // the 20.10 CLI prints IPv6 as ":::18081"; newer ones (and Berth) bracket it: "[::]:18081"
    expect(c?.ports?.join(', ')).toBe(cliPorts.replaceAll(':::', '[::]:'))
    expect(c?.ports).toContain('0.0.0.0:18081->80/tcp')
  })

  it('says NOT_FOUND for a container that does not exist', async () => {
    expect(await invoke('containers.inspect', { id: 'ca-nothing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('ca-nothing') },
    })
  })
})
