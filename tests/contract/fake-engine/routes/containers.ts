/** Container routes: list, inspect, the lifecycle actions, create, rename, remove and commit. */
import type { ServerResponse } from 'node:http'
import type { FakeEngine } from '../server'
import { EngineFault, flag, jsonBody, jsonQuery, sendJson, sendNoContent } from '../http'
import { containerListEntry, type ContainerJson } from '../shapes'
import { familiarImage, randomId } from '../state'
import { addImage } from '../fixtures'

/** dockerd's words when a name is taken, for create and rename alike. */
const nameInUse = (name: string, owner: string): string =>
  `Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`

function matchesFilters(c: ContainerJson, filters: Record<string, string[]>): boolean {
  if (filters.id && !filters.id.some((id) => c.Id.startsWith(id))) return false
  if (filters.status && !filters.status.includes(c.State.Status)) return false
  if (filters.name && !filters.name.some((n) => c.Name.includes(n))) return false
  for (const label of filters.label ?? []) {
    const [key, value] = label.split('=') as [string, string | undefined]
    if (!(key in c.Config.Labels) || (value !== undefined && c.Config.Labels[key] !== value)) return false
  }
  return true
}

/** The Dockerfile instructions `docker commit --change` takes that the fake applies: ENV and LABEL. */
function withChanges(config: Record<string, unknown>, changes: string[]): Record<string, unknown> {
  const env = [...((config.Env as string[] | undefined) ?? [])]
  const labels: Record<string, string> = { ...((config.Labels as Record<string, string> | null) ?? {}) }
  for (const change of changes) {
    const [instruction, rest = ''] = change.split(/ (.*)/s) as [string, string?]
    const at = rest.indexOf('=')
    if (instruction.toUpperCase() === 'ENV') env.push(rest)
    if (instruction.toUpperCase() === 'LABEL' && at > 0) labels[rest.slice(0, at)] = rest.slice(at + 1)
  }
  return { ...config, Env: env, Labels: labels }
}

/** A host port this container would publish that a running container already holds. */
function portTaken(engine: FakeEngine, c: ContainerJson): string | undefined {
  const held = new Set<string>()
  for (const other of engine.state.containers.values()) {
    if (other.State.Running) for (const b of Object.values(other.HostConfig.PortBindings).flat()) if (b?.HostPort) held.add(b.HostPort)
  }
  return Object.values(c.HostConfig.PortBindings).flat().find((b) => b?.HostPort && held.has(b.HostPort))?.HostPort
}

const KILL_EXIT: Record<string, number> = { SIGKILL: 137, KILL: 137, '9': 137, SIGTERM: 143, TERM: 143, '15': 143, SIGINT: 130, '2': 130 }

export function containerRoutes(engine: FakeEngine): void {
  const s = engine.state
  /** The container moves to a state, the engine says so on its event stream, the call answers 204. */
  const change = (res: ServerResponse, c: ContainerJson, status: ContainerJson['State']['Status'], action: string): void => {
    s.setState(c, status)
    s.emitContainer(c, action)
    sendNoContent(res)
  }

  engine.route('GET /containers/json', (req, res) => {
    const filters = jsonQuery(req, 'filters')
    const all = flag(req, 'all')
    const rows = [...s.containers.values()]
      .filter((c) => (all || c.State.Running) && matchesFilters(c, filters))
      .sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created))
      .map((c) => containerListEntry(c, s.containerImages.get(c.Id) ?? c.Config.Image, flag(req, 'size') ? s.sizes.get(c.Id) : undefined))
    sendJson(res, 200, rows)
  })

  engine.route('GET /containers/{id}/json', (req, res) => sendJson(res, 200, s.container(req.params.id!)))

  engine.route('POST /containers/{id}/start', (req, res) => {
    const c = s.container(req.params.id!)
    if (c.State.Paused) throw new EngineFault(409, 'cannot start a paused container, try unpause instead')
    if (c.State.Running) return sendNoContent(res, 304)
    const taken = portTaken(engine, c)
    if (taken) {
      throw new EngineFault(500, `driver failed programming external connectivity on endpoint ${c.Name.slice(1)} (${c.Id.slice(0, 64)}): Bind for 0.0.0.0:${taken} failed: port is already allocated`)
    }
    change(res, c, 'running', 'start')
  })

  engine.route('POST /containers/{id}/stop', (req, res) => {
    const c = s.container(req.params.id!)
    if (!c.State.Running) return sendNoContent(res, 304)
    s.setState(c, 'exited', 0)
    s.emitContainer(c, 'kill', { signal: '15' })
    s.emitContainer(c, 'die', { exitCode: '0' })
    s.emitContainer(c, 'stop')
    sendNoContent(res)
  })

  engine.route('POST /containers/{id}/restart', (req, res) => {
    const c = s.container(req.params.id!)
    if (c.State.Running) s.setState(c, 'exited', 0)
    change(res, c, 'running', 'restart')
  })

  engine.route('POST /containers/{id}/kill', (req, res) => {
    const c = s.container(req.params.id!)
    if (!c.State.Running) throw new EngineFault(409, `Cannot kill container: ${req.params.id}: Container ${c.Id} is not running`)
    const signal = req.query.get('signal') ?? 'SIGKILL'
    s.emitContainer(c, 'kill', { signal })
    const exit = KILL_EXIT[signal]
    if (exit !== undefined) {
      s.setState(c, 'exited', exit)
      s.emitContainer(c, 'die', { exitCode: String(exit) })
    }
    sendNoContent(res)
  })

  engine.route('POST /containers/{id}/pause', (req, res) => {
    const c = s.container(req.params.id!)
    if (c.State.Paused) throw new EngineFault(409, `Container ${c.Id} is already paused`)
    if (!c.State.Running) throw new EngineFault(409, `Container ${c.Id} is not running`)
    change(res, c, 'paused', 'pause')
  })

  engine.route('POST /containers/{id}/unpause', (req, res) => {
    const c = s.container(req.params.id!)
    // dockerd 20.10 answers this one with 500, not 409
    if (!c.State.Paused) throw new EngineFault(500, `Container ${c.Id} is not paused`)
    change(res, c, 'running', 'unpause')
  })

  engine.route('POST /containers/{id}/rename', (req, res) => {
    const c = s.container(req.params.id!)
    const name = req.query.get('name') ?? ''
    const owner = s.findContainer(name)
    if (owner && owner.Name === `/${name}` && owner !== c) throw new EngineFault(409, nameInUse(name, owner.Id))
    const oldName = c.Name
    c.Name = `/${name}`
    s.emitContainer(c, 'rename', { oldName })
    sendNoContent(res)
  })

  engine.route('DELETE /containers/{id}', (req, res) => {
    const c = s.container(req.params.id!)
    if (c.State.Running && !flag(req, 'force')) {
      const state = c.State.Paused ? 'paused' : 'running'
      throw new EngineFault(409, `You cannot remove a ${state} container ${c.Id}. Stop the container before attempting removal or force remove`)
    }
    if (c.State.Running) {
      s.setState(c, 'exited', 137)
      s.emitContainer(c, 'kill', { signal: '9' })
      s.emitContainer(c, 'die', { exitCode: '137' })
    }
    s.containers.delete(c.Id)
    s.emitContainer(c, 'destroy')
    sendNoContent(res)
  })

  engine.route('POST /containers/create', (req, res) => {
    const body = jsonBody<Partial<ContainerJson['Config']> & { HostConfig?: Partial<ContainerJson['HostConfig']> & { Mounts?: Array<Record<string, unknown>> }; NetworkDisabled?: boolean }>(req)
    const image = s.image(String(body.Image))
    const name = req.query.get('name') ?? `eager_${randomId().slice(0, 6)}`
    const owner = s.findContainer(name)
    if (owner && owner.Name === `/${name}`) throw new EngineFault(409, nameInUse(name, owner.Id))
    const mode = body.HostConfig?.NetworkMode ?? 'default'
    if (!['default', 'bridge', 'host', 'none'].includes(mode)) s.network(mode)
    const id = randomId()
    const config = image.Config as { Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] }
    const command = [...(body.Entrypoint ?? config.Entrypoint ?? []), ...(body.Cmd ?? config.Cmd ?? [])]
    const mounts = (body.HostConfig?.Mounts ?? []).map((m) => ({
      Type: 'volume' as const,
      Name: String(m.Source),
      Source: `/var/lib/docker/volumes/${String(m.Source)}/_data`,
      Destination: String(m.Target),
      Driver: 'local',
      Mode: 'z',
      RW: true,
      Propagation: '',
    }))
    const c: ContainerJson = {
      Id: id,
      Created: new Date().toISOString(),
      Path: command[0] ?? '',
      Args: command.slice(1),
      State: { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
      Image: image.Id,
      Name: `/${name}`,
      RestartCount: 0,
      Driver: 'overlay2',
      Platform: 'linux',
      HostConfig: { Binds: null, NetworkMode: mode, PortBindings: {}, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false, ...body.HostConfig },
      Mounts: mounts,
      Config: {
        Hostname: id.slice(0, 12), Domainname: '', User: body.User ?? '', AttachStdin: false, AttachStdout: true, AttachStderr: true,
        ExposedPorts: body.ExposedPorts ?? {}, Tty: body.Tty ?? false, OpenStdin: body.OpenStdin ?? false, StdinOnce: false,
        Env: [...(config.Env ?? []), ...(body.Env ?? [])], Cmd: body.Cmd ?? config.Cmd ?? null, Image: String(body.Image), Volumes: null,
        WorkingDir: body.WorkingDir ?? '', Entrypoint: body.Entrypoint ?? config.Entrypoint ?? null, Labels: body.Labels ?? {},
      },
      NetworkSettings: { Ports: {}, Networks: {} },
    }
    s.containers.set(id, c)
    s.containerImages.set(id, String(body.Image))
    s.sizes.set(id, 0)
    s.emitContainer(c, 'create')
    sendJson(res, 201, { Id: id, Warnings: [] })
  })

  engine.route('POST /commit', (req, res) => {
    const c = s.container(req.query.get('container') ?? '')
    const tag = `${req.query.get('repo')}:${req.query.get('tag') ?? 'latest'}`
    const base = s.image(c.Image)
    for (const other of s.images.values()) other.RepoTags = other.RepoTags.filter((t) => t !== familiarImage(tag))
    const made = addImage(s, `commit:${tag}:${randomId()}`, [familiarImage(tag)], {
      Comment: req.query.get('comment') ?? '',
      Author: req.query.get('author') ?? '',
      Parent: base.Id,
      Config: withChanges(base.Config, req.query.getAll('changes')),
    })
    s.emit('image', 'tag', made.Id, { name: familiarImage(tag) })
    sendJson(res, 201, { Id: made.Id })
  })
}
