/**
 * The fake engine's objects, stored as the engine's inspect JSON (what `docker inspect` prints),
 * and the list entries the engine derives from them (`/containers/json`, `/images/json`, ...).
 */

export interface PortBinding {
  HostIp: string
  HostPort: string
}

export interface EndpointSettings {
  NetworkID: string
  EndpointID: string
  Gateway: string
  IPAddress: string
  IPPrefixLen: number
  IPv6Gateway: string
  GlobalIPv6Address: string
  MacAddress: string
  Aliases: string[] | null
}

export interface MountPoint {
  Type: 'volume' | 'bind' | 'tmpfs'
  Name?: string
  Source: string
  Destination: string
  Driver?: string
  Mode: string
  RW: boolean
  Propagation: string
}

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy'
  FailingStreak: number
  Log: Array<{ Start: string; End: string; ExitCode: number; Output: string }>
}

/** A container as `GET /containers/{id}/json` returns it, plus what the fake keeps beside it. */
export interface ContainerJson {
  Id: string
  Created: string
  Path: string
  Args: string[]
  State: {
    Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead'
    Running: boolean
    Paused: boolean
    Restarting: boolean
    OOMKilled: boolean
    Dead: boolean
    Pid: number
    ExitCode: number
    Error: string
    StartedAt: string
    FinishedAt: string
    Health?: HealthState
  }
  Image: string
  Name: string
  RestartCount: number
  Driver: string
  Platform: string
  HostConfig: {
    Binds: string[] | null
    NetworkMode: string
    PortBindings: Record<string, PortBinding[] | null>
    RestartPolicy: { Name: string; MaximumRetryCount: number }
    AutoRemove: boolean
    [key: string]: unknown
  }
  Mounts: MountPoint[]
  Config: {
    Hostname: string
    Domainname: string
    User: string
    AttachStdin: boolean
    AttachStdout: boolean
    AttachStderr: boolean
    ExposedPorts?: Record<string, object>
    Tty: boolean
    OpenStdin: boolean
    StdinOnce: boolean
    Env: string[]
    Cmd: string[] | null
    Image: string
    Volumes: Record<string, object> | null
    WorkingDir: string
    Entrypoint: string[] | null
    Labels: Record<string, string>
  }
  NetworkSettings: {
    Ports: Record<string, PortBinding[] | null>
    Networks: Record<string, EndpointSettings>
    [key: string]: unknown
  }
}

export interface ImageJson {
  Id: string
  RepoTags: string[]
  RepoDigests: string[]
  Parent: string
  Comment: string
  Created: string
  DockerVersion: string
  Author: string
  Config: Record<string, unknown>
  Architecture: string
  Variant?: string
  Os: string
  Size: number
  VirtualSize: number
  RootFS: { Type: 'layers'; Layers: string[] }
  Metadata: { LastTagTime: string }
}

export interface HistoryJson {
  Id: string
  Created: number
  CreatedBy: string
  Tags: string[] | null
  Size: number
  Comment: string
}

export interface NetworkJson {
  Name: string
  Id: string
  Created: string
  Scope: string
  Driver: string
  EnableIPv6: boolean
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> }
  Internal: boolean
  Attachable: boolean
  Ingress: boolean
  ConfigFrom: { Network: string }
  ConfigOnly: boolean
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>
  Options: Record<string, string>
  Labels: Record<string, string>
}

export interface VolumeJson {
  CreatedAt: string
  Driver: string
  Labels: Record<string, string> | null
  Mountpoint: string
  Name: string
  Options: Record<string, string> | null
  Scope: string
}

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000)

/** Docker's go-units HumanDuration, as status texts use it. */
export function humanDuration(seconds: number): string {
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.floor(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.round(seconds / 3600)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  return `${Math.floor(hours / 24)} days`
}

const since = (iso: string): number => Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000))

/** The list's Status text: "Up 2 hours (healthy)", "Exited (137) 5 minutes ago", "Created". */
export function statusText(c: ContainerJson): string {
  const s = c.State
  const health = s.Health ? ` (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})` : ''
  switch (s.Status) {
    case 'running':
      return `Up ${humanDuration(since(s.StartedAt))}${health}`
    case 'paused':
      return `Up ${humanDuration(since(s.StartedAt))} (Paused)`
    case 'restarting':
      return `Restarting (${s.ExitCode}) ${humanDuration(since(s.FinishedAt))} ago`
    case 'exited':
      return `Exited (${s.ExitCode}) ${humanDuration(since(s.FinishedAt))} ago`
    case 'dead':
      return 'Dead'
    case 'removing':
      return 'Removal In Progress'
    default:
      return 'Created'
  }
}

/** Published ports as the list gives them: one entry per binding (IPv4 and IPv6), only while running. */
function listPorts(c: ContainerJson): Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }> {
  const out: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }> = []
  for (const [key, bindings] of Object.entries(c.NetworkSettings.Ports)) {
    const [port, type] = key.split('/') as [string, string]
    if (!bindings || bindings.length === 0) out.push({ PrivatePort: Number(port), Type: type })
    for (const b of bindings ?? []) out.push({ IP: b.HostIp, PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: type })
  }
  return out
}

/** One row of `GET /containers/json`. */
export function containerListEntry(c: ContainerJson, image: string, sizeRw?: number) {
  return {
    Id: c.Id,
    Names: [c.Name],
    Image: image,
    ImageID: c.Image,
    Command: [c.Path, ...c.Args].join(' '),
    Created: unixSeconds(c.Created),
    Ports: listPorts(c),
    Labels: c.Config.Labels,
    State: c.State.Status,
    Status: statusText(c),
    HostConfig: { NetworkMode: c.HostConfig.NetworkMode },
    NetworkSettings: { Networks: c.NetworkSettings.Networks },
    Mounts: c.Mounts,
    ...(sizeRw === undefined ? {} : { SizeRw: sizeRw }),
  }
}

/** One row of `GET /images/json`. */
export function imageListEntry(i: ImageJson, containers: number) {
  const untagged = i.RepoTags.length === 0
  return {
    Containers: containers,
    Created: unixSeconds(i.Created),
    Id: i.Id,
    Labels: (i.Config.Labels as Record<string, string> | null) ?? null,
    ParentId: i.Parent,
    // how API 1.41 spells an image without tags or digests
    RepoDigests: i.RepoDigests.length ? i.RepoDigests : untagged ? ['<none>@<none>'] : [],
    RepoTags: untagged ? ['<none>:<none>'] : i.RepoTags,
    SharedSize: -1,
    Size: i.Size,
    VirtualSize: i.VirtualSize,
  }
}
