/**
 * The fake engine's world: containers, images, networks, volumes (with their files, for the
 * archive API), execs and the event stream. Lookups answer misses with the engine's own status
 * and words ("No such container: nope"), so the agent maps exactly what dockerd would send.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { EngineFault } from './http'
import type { ContainerJson, HistoryJson, ImageJson, NetworkJson, VolumeJson } from './shapes'

export interface FileNode {
  type: 'file' | 'directory' | 'symlink'
  /** Permission bits, as in `ls -l`. */
  mode: number
  mtime: Date
  content?: Buffer
  linkname?: string
}

export interface LogEntry {
  stream: 1 | 2
  /** RFC 3339 with nanoseconds, as the engine stamps lines. */
  time: string
  text: string
}

/** An image as a registry holds it, for pulls, pushes and the distribution route. */
export interface RegistryImage {
  /** Layers as pull progress names them: 12-hex short ids and their sizes in bytes. */
  layers: Array<{ id: string; size: number }>
  digest: string
  os: string
  architecture: string
  /** Milliseconds between progress lines, as a registry's answers trickle in. */
  gapMs?: number
  /** A failure the registry reports after the pull has started (the engine sends it inside the 200 answer). */
  failWith?: string
}

export interface ExecModel {
  id: string
  containerId: string
  cmd: string[]
  tty: boolean
  env: string[]
  user: string
  running: boolean
  exitCode: number | null
  resizes: Array<{ h: number; w: number }>
  detached: boolean
}

/** The engine's Docker Hub short forms: alpine -> alpine:latest, docker.io/library/x -> x. */
export function familiarImage(ref: string): string {
  const short = ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '')
  if (short.includes('@') || /^(sha256:)?[0-9a-f]{12,64}$/.test(short)) return short
  return short.lastIndexOf(':') > short.lastIndexOf('/') ? short : `${short}:latest`
}

/** Now as the engine stamps log lines: RFC 3339 with nine digits of fraction. */
export function nanoTime(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, frac: string) => `.${frac}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}Z`)
}

export const randomId = (): string => randomBytes(32).toString('hex')
export const digestOf = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`

export class EngineState {
  readonly containers = new Map<string, ContainerJson>()
  /** The image reference each container was created from, as the list shows it. */
  readonly containerImages = new Map<string, string>()
  readonly logs = new Map<string, LogEntry[]>()
  /** Engine stats answers by container id (`GET /containers/{id}/stats`). */
  readonly stats = new Map<string, Record<string, unknown>>()
  readonly sizes = new Map<string, number>()
  readonly images = new Map<string, ImageJson>()
  readonly history = new Map<string, HistoryJson[]>()
  readonly networks = new Map<string, NetworkJson>()
  readonly volumes = new Map<string, VolumeJson>()
  readonly volumeUsage = new Map<string, number>()
  /** Files inside each volume by path below its root ('' is the root). */
  readonly files = new Map<string, Map<string, FileNode>>()
  readonly execs = new Map<string, ExecModel>()
  readonly buildCache: Array<Record<string, unknown>> = []
  /** What registries hold, by familiar reference (alpine:3.20, 127.0.0.1:5000/app:1.0). */
  readonly registry = new Map<string, RegistryImage>()
  /** Registries that want a login, by domain, with the one account they accept. */
  readonly registryAccounts = new Map<string, { username: string; password: string }>()
  info: Record<string, unknown> = {}
  version: Record<string, unknown> = {}
  private readonly watchers = new Set<ServerResponse>()
  private readonly outputs = new Map<string, Set<{ write(entry: LogEntry): void; end(): void }>>()

  // --- lookups, answering as the engine does -------------------------------------------

  findContainer(ref: string): ContainerJson | undefined {
    const byName = [...this.containers.values()].find((c) => c.Name === `/${ref}`)
    if (this.containers.has(ref)) return this.containers.get(ref)
    if (byName) return byName
    const byPrefix = [...this.containers.values()].filter((c) => c.Id.startsWith(ref))
    return byPrefix.length === 1 ? byPrefix[0] : undefined
  }

  container(ref: string): ContainerJson {
    const c = this.findContainer(ref)
    if (!c) throw new EngineFault(404, `No such container: ${ref}`)
    return c
  }

  findImage(ref: string): ImageJson | undefined {
    const want = familiarImage(ref)
    for (const image of this.images.values()) {
      if (image.Id === want || image.Id === `sha256:${want}`) return image
      if (/^[0-9a-f]{12,63}$/.test(want) && image.Id.startsWith(`sha256:${want}`)) return image
      if (image.RepoTags.includes(want) || image.RepoDigests.includes(want)) return image
    }
    return undefined
  }

  image(ref: string): ImageJson {
    const image = this.findImage(ref)
    if (!image) throw new EngineFault(404, `No such image: ${familiarImage(ref)}`)
    return image
  }

  network(ref: string): NetworkJson {
    const found =
      this.networks.get(ref) ??
      [...this.networks.values()].find((n) => n.Name === ref) ??
      [...this.networks.values()].find((n) => n.Id.startsWith(ref))
    if (!found) throw new EngineFault(404, `network ${ref} not found`)
    return found
  }

  volume(name: string): VolumeJson {
    const found = this.volumes.get(name)
    if (!found) throw new EngineFault(404, `get ${name}: no such volume`)
    return found
  }

  exec(id: string): ExecModel {
    const found = this.execs.get(id)
    if (!found) throw new EngineFault(404, `No such exec instance: ${id}`)
    return found
  }

  containersUsingImage(imageId: string): ContainerJson[] {
    return [...this.containers.values()].filter((c) => c.Image === imageId)
  }

  // --- changes -----------------------------------------------------------------------

  setState(c: ContainerJson, status: ContainerJson['State']['Status'], exitCode = c.State.ExitCode): void {
    const now = new Date().toISOString()
    const wasUp = c.State.Running
    const up = status === 'running' || status === 'paused'
    c.State = {
      ...c.State,
      Status: status,
      Running: up,
      Paused: status === 'paused',
      Restarting: status === 'restarting',
      Dead: status === 'dead',
      ExitCode: up ? 0 : exitCode,
      Pid: up ? c.State.Pid || 4_200_000 + this.containers.size : 0,
      ...(up && !wasUp ? { StartedAt: now } : {}),
      ...(!up && wasUp ? { FinishedAt: now } : {}),
    }
    c.NetworkSettings.Ports = up ? c.HostConfig.PortBindings : {}
    // the engine ends log follows and attaches when the container's process goes
    if (!up) for (const stream of this.followers(c.Id)) stream.end()
  }

  // --- a container's output: logs, follows and attached terminals ---------------------

  /** Open log follows and attaches of a container; each gets every line it writes from now on. */
  followers(id: string): Set<{ write(entry: LogEntry): void; end(): void }> {
    let set = this.outputs.get(id)
    if (!set) this.outputs.set(id, (set = new Set()))
    return set
  }

  /** The container writes a line: into its log, and to whoever follows or is attached. */
  write(c: ContainerJson, stream: 1 | 2, text: string): void {
    const entry: LogEntry = { stream, time: nanoTime(), text }
    const log = this.logs.get(c.Id) ?? []
    log.push(entry)
    this.logs.set(c.Id, log)
    for (const follower of this.followers(c.Id)) follower.write(entry)
  }

  // --- the event stream (`GET /events`) ------------------------------------------------

  watch(res: ServerResponse): void {
    this.watchers.add(res)
    res.on('close', () => this.watchers.delete(res))
  }

  get watcherCount(): number {
    return this.watchers.size
  }

  /** Writes one event to every open `/events` stream, shaped as dockerd 20.10 sends them. */
  emit(type: 'container' | 'image' | 'network' | 'volume', action: string, id: string, attributes: Record<string, string> = {}): void {
    const nanos = BigInt(Date.now()) * 1_000_000n
    const event = {
      ...(type === 'container' ? { status: action, id, from: attributes.image ?? '' } : {}),
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Number(nanos / 1_000_000_000n),
      timeNano: Number(nanos),
    }
    for (const res of this.watchers) res.write(`${JSON.stringify(event)}\n`)
  }

  /** A container event with the attributes dockerd adds: its image and name. */
  emitContainer(c: ContainerJson, action: string, extra: Record<string, string> = {}): void {
    this.emit('container', action, c.Id, { image: this.containerImages.get(c.Id) ?? c.Config.Image, name: c.Name.slice(1), ...extra })
  }
}
