/**
 * The fake engine's starting world, shaped after what dockerd 20.10 (API 1.41) answers on a
 * small amd64 host: a running web server with published ports and a health check, a database
 * that exited, a paused cache, an interactive shell with a TTY; their images (one dangling),
 * networks (the three built-in ones and a user bridge) and volumes (one unused).
 */
import { createHash } from 'node:crypto'
import type { ContainerJson, EndpointSettings, HealthState, HistoryJson, ImageJson, MountPoint, NetworkJson, VolumeJson } from './shapes'
import type { EngineState, FileNode } from './state'

/** A stable 64-hex id per name, so the same fixture has the same id in every run. */
export const idFor = (name: string): string => createHash('sha256').update(`fake-engine:${name}`).digest('hex')
export const imageIdFor = (name: string): string => `sha256:${idFor(`image:${name}`)}`

const ago = (seconds: number): string => new Date(Date.now() - seconds * 1000).toISOString()
const ZERO_TIME = '0001-01-01T00:00:00Z'

export const networkIds = { bridge: idFor('net:bridge'), host: idFor('net:host'), none: idFor('net:none'), backend: idFor('net:backend') }

function endpoint(network: keyof typeof networkIds, ip: string, aliases: string[] | null = null): EndpointSettings {
  const n = Number(ip.split('.')[3])
  return {
    NetworkID: networkIds[network],
    EndpointID: idFor(`ep:${network}:${ip}`),
    Gateway: ip.replace(/\.\d+$/, '.1'),
    IPAddress: ip,
    IPPrefixLen: 16,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    MacAddress: `02:42:ac:11:00:${n.toString(16).padStart(2, '0')}`,
    Aliases: aliases,
  }
}

const volumeMount = (name: string, destination: string): MountPoint => ({
  Type: 'volume',
  Name: name,
  Source: `/var/lib/docker/volumes/${name}/_data`,
  Destination: destination,
  Driver: 'local',
  Mode: 'z',
  RW: true,
  Propagation: '',
})

export interface ContainerSeed {
  name: string
  image: string
  state: ContainerJson['State']['Status']
  path: string
  args?: string[]
  exitCode?: number
  tty?: boolean
  ports?: Record<string, Array<{ HostIp: string; HostPort: string }>>
  networks?: Record<string, EndpointSettings>
  mounts?: MountPoint[]
  env?: string[]
  labels?: Record<string, string>
  health?: HealthState
  restart?: { Name: string; MaximumRetryCount: number }
}

/** A container as `docker inspect` shows it, filled in the way dockerd fills a default one. */
export function containerJson(state: EngineState, seed: ContainerSeed): ContainerJson {
  const image = state.image(seed.image)
  const up = seed.state === 'running' || seed.state === 'paused'
  const ports = seed.ports ?? {}
  const firstNetwork = Object.keys(seed.networks ?? {})[0] ?? 'bridge'
  return {
    Id: idFor(seed.name),
    Created: ago(3 * 86400),
    Path: seed.path,
    Args: seed.args ?? [],
    State: {
      Status: seed.state,
      Running: up,
      Paused: seed.state === 'paused',
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      // above any real pid (pid_max is at most 2^22): the agent finds no cgroup files and asks the engine
      Pid: up ? 4_200_000 + state.containers.size : 0,
      ExitCode: seed.exitCode ?? 0,
      Error: '',
      StartedAt: seed.state === 'created' ? ZERO_TIME : ago(2 * 3600),
      FinishedAt: up || seed.state === 'created' ? ZERO_TIME : ago(5 * 60),
      ...(seed.health ? { Health: seed.health } : {}),
    },
    Image: image.Id,
    Name: `/${seed.name}`,
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: {
      Binds: null,
      // what dockerd records for the default bridge
      NetworkMode: firstNetwork === 'bridge' ? 'default' : firstNetwork,
      PortBindings: ports,
      RestartPolicy: seed.restart ?? { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: false,
    },
    Mounts: seed.mounts ?? [],
    Config: {
      Hostname: idFor(seed.name).slice(0, 12),
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      ExposedPorts: Object.fromEntries(Object.keys(ports).map((p) => [p, {}])),
      Tty: seed.tty ?? false,
      OpenStdin: seed.tty ?? false,
      StdinOnce: false,
      Env: seed.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: seed.args ?? null,
      Image: seed.image,
      Volumes: null,
      WorkingDir: '',
      Entrypoint: [seed.path],
      Labels: seed.labels ?? {},
    },
    NetworkSettings: { Ports: up ? ports : {}, Networks: seed.networks ?? { bridge: endpoint('bridge', '172.17.0.9') } },
  }
}

export function addContainer(state: EngineState, seed: ContainerSeed): ContainerJson {
  const c = containerJson(state, seed)
  state.containers.set(c.Id, c)
  state.containerImages.set(c.Id, seed.image)
  state.sizes.set(c.Id, 1_093_000)
  return c
}

export function addImage(state: EngineState, name: string, tags: string[], extra: Partial<ImageJson> = {}): ImageJson {
  const id = imageIdFor(name)
  const repo = tags[0]?.slice(0, tags[0].lastIndexOf(':'))
  const image: ImageJson = {
    Id: id,
    RepoTags: tags,
    RepoDigests: repo ? [`${repo}@sha256:${idFor(`digest:${name}`)}`] : [],
    Parent: '',
    Comment: '',
    Created: ago(30 * 86400),
    DockerVersion: '20.10.23',
    Author: '',
    Config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'], Labels: null },
    Architecture: 'amd64',
    Os: 'linux',
    Size: 7_376_754,
    VirtualSize: 7_376_754,
    RootFS: { Type: 'layers', Layers: [`sha256:${idFor(`layer:${name}`)}`] },
    Metadata: { LastTagTime: ZERO_TIME },
    ...extra,
  }
  state.images.set(id, image)
  const history: HistoryJson[] = [
    { Id: id, Created: Math.floor(Date.parse(image.Created) / 1000), CreatedBy: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', Tags: tags, Size: 0, Comment: '' },
    { Id: '<missing>', Created: Math.floor(Date.parse(image.Created) / 1000) - 1, CreatedBy: '/bin/sh -c #(nop) ADD file:9a4f77dfaba7fd2aa in / ', Tags: null, Size: image.Size, Comment: '' },
  ]
  state.history.set(id, history)
  return image
}

function addNetwork(state: EngineState, name: keyof typeof networkIds, driver: string, subnet?: string, labels: Record<string, string> = {}): void {
  const network: NetworkJson = {
    Name: name,
    Id: networkIds[name],
    Created: ago(10 * 86400),
    Scope: 'local',
    Driver: driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: subnet ? [{ Subnet: subnet, Gateway: subnet.replace(/0\/\d+$/, '1') }] : [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: {},
    Options: name === 'bridge' ? { 'com.docker.network.bridge.default_bridge': 'true', 'com.docker.network.bridge.name': 'docker0' } : {},
    Labels: labels,
  }
  state.networks.set(network.Id, network)
}

export function addVolume(state: EngineState, name: string, usageBytes: number, labels: Record<string, string> | null = null): VolumeJson {
  const volume: VolumeJson = {
    CreatedAt: '2024-01-12T09:41:07Z',
    Driver: 'local',
    Labels: labels,
    Mountpoint: `/var/lib/docker/volumes/${name}/_data`,
    Name: name,
    Options: null,
    Scope: 'local',
  }
  state.volumes.set(name, volume)
  state.volumeUsage.set(name, usageBytes)
  state.files.set(name, new Map([['', { type: 'directory', mode: 0o755, mtime: new Date('2024-01-12T09:41:07Z') }]]))
  return volume
}

const file = (text: string | Buffer, mode = 0o644): FileNode => ({
  type: 'file',
  mode,
  mtime: new Date('2024-02-01T10:00:00Z'),
  content: Buffer.isBuffer(text) ? text : Buffer.from(text),
})

export function seed(state: EngineState): void {
  addImage(state, 'nginx', ['nginx:1.25'], {
    Size: 187_000_000,
    VirtualSize: 187_000_000,
    Config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NGINX_VERSION=1.25.3'],
      Cmd: ['nginx', '-g', 'daemon off;'],
      Entrypoint: ['/docker-entrypoint.sh'],
      ExposedPorts: { '80/tcp': {} },
      WorkingDir: '',
      User: '',
      Labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' },
      StopSignal: 'SIGQUIT',
    },
  })
  addImage(state, 'postgres', ['postgres:16'], { Size: 431_000_000, VirtualSize: 431_000_000 })
  addImage(state, 'redis', ['redis:7'], { Architecture: 'arm64', Variant: 'v8', Size: 138_000_000, VirtualSize: 138_000_000 })
  addImage(state, 'alpine', ['alpine:3.19', 'alpine:latest'])
  addImage(state, 'dangling', [], { RepoDigests: [], Size: 5_120_000, VirtualSize: 5_120_000 })

  addNetwork(state, 'bridge', 'bridge', '172.17.0.0/16')
  addNetwork(state, 'host', 'host')
  addNetwork(state, 'none', 'null')
  addNetwork(state, 'backend', 'bridge', '172.20.0.0/16', { 'com.docker.compose.network': 'backend' })

  addVolume(state, 'web-data', 12_582_912)
  addVolume(state, 'pgdata', 50_331_648, { 'com.docker.compose.volume': 'pgdata' })
  addVolume(state, 'orphan', 0)
  const web = state.files.get('web-data')!
  web.set('index.html', file('<h1>Hello from the volume</h1>\n'))
  web.set('assets', { type: 'directory', mode: 0o755, mtime: new Date('2024-02-01T10:00:00Z') })
  web.set('assets/logo.png', file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])))
  web.set('current', { type: 'symlink', mode: 0o777, mtime: new Date('2024-02-01T10:00:00Z'), linkname: 'assets' })
  web.set('escape', { type: 'symlink', mode: 0o777, mtime: new Date('2024-02-01T10:00:00Z'), linkname: '../../../etc' })

  addContainer(state, {
    name: 'web',
    image: 'nginx:1.25',
    state: 'running',
    path: '/docker-entrypoint.sh',
    args: ['nginx', '-g', 'daemon off;'],
    ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '::', HostPort: '8080' }] },
    networks: { bridge: endpoint('bridge', '172.17.0.2'), backend: endpoint('backend', '172.20.0.2', ['web', 'a3f1c2d4e5b6']) },
    mounts: [volumeMount('web-data', '/usr/share/nginx/html')],
    labels: { 'com.docker.compose.project': 'shop' },
    restart: { Name: 'unless-stopped', MaximumRetryCount: 0 },
    health: {
      Status: 'healthy',
      FailingStreak: 0,
      Log: [{ Start: ago(31), End: ago(30), ExitCode: 0, Output: 'ok\n' }],
    },
  })
  addContainer(state, {
    name: 'db',
    image: 'postgres:16',
    state: 'exited',
    exitCode: 1,
    path: 'docker-entrypoint.sh',
    args: ['postgres'],
    networks: { backend: endpoint('backend', '172.20.0.3', ['db']) },
    mounts: [volumeMount('pgdata', '/var/lib/postgresql/data')],
    restart: { Name: 'on-failure', MaximumRetryCount: 3 },
  })
  addContainer(state, { name: 'cache', image: 'redis:7', state: 'paused', path: 'docker-entrypoint.sh', args: ['redis-server'], networks: { bridge: endpoint('bridge', '172.17.0.4') } })
  addContainer(state, { name: 'shell', image: 'alpine:3.19', state: 'running', path: '/bin/sh', tty: true, networks: { bridge: endpoint('bridge', '172.17.0.5') } })

  state.buildCache.push(
    { ID: 'kq3x9p2m7v1nb0c', Parents: null, Type: 'regular', Description: 'mount / from exec /bin/sh -c apk add --no-cache curl', InUse: false, Shared: false, Size: 9_437_184, CreatedAt: ago(86400), LastUsedAt: ago(3600), UsageCount: 2 },
    { ID: 'w8e7r6t5y4u3i2o', Parents: null, Type: 'source.local', Description: 'local source for context', InUse: true, Shared: false, Size: 2_048, CreatedAt: ago(600), LastUsedAt: ago(60), UsageCount: 1 },
  )
}
