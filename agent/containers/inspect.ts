/** containers.inspect: `docker inspect` of one container, summarized for people, with the raw JSON. */
import type Docker from 'dockerode'
import type { ContainerDetails } from '../../protocol/schema'

/** Health log entries shown; the engine keeps the last five. */
const HEALTH_LOG_ENTRIES = 5

/** The engine writes "0001-01-01T00:00:00Z" for a time that never happened. */
export function engineTime(value: string | undefined | null): string | null {
  if (!value || value.startsWith('0001-01-01')) return null
  return value
}

function asList(value: string[] | string | null | undefined): string[] {
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>

/** "0.0.0.0:8080->80/tcp" per published binding, "80/tcp" for an exposed port with none. */
export function portsFromBindings(bindings: PortBindings | null | undefined, exposed: Record<string, unknown> | undefined): string[] {
  const out: string[] = []
  const keys = new Set([...Object.keys(exposed ?? {}), ...Object.keys(bindings ?? {})])
  for (const key of [...keys].sort()) {
    const published = bindings?.[key] ?? []
    if (published.length === 0) out.push(key)
    for (const b of published) {
      const ip = b.HostIp?.includes(':') ? `[${b.HostIp}]` : b.HostIp || '0.0.0.0'
      out.push(`${ip}:${b.HostPort}->${key}`)
    }
  }
  return out
}

export function detailsFromInspect(info: Docker.ContainerInspectInfo): ContainerDetails {
  const state = info.State as Docker.ContainerInspectInfo['State'] & {
    Health?: { Status: string; FailingStreak: number; Log?: Array<{ Start: string; End: string; ExitCode: number; Output: string }> }
  }
  const health = state.Health
  const networks = info.NetworkSettings?.Networks ?? {}
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    command: asList(info.Config.Cmd),
    entrypoint: asList(info.Config.Entrypoint as string[] | string | null | undefined),
    created: engineTime(info.Created),
    state: {
      status: state.Status,
      exitCode: state.ExitCode,
      error: state.Error ?? '',
      oomKilled: state.OOMKilled,
      pid: state.Pid,
      startedAt: engineTime(state.StartedAt),
      finishedAt: engineTime(state.FinishedAt),
    },
    restartPolicy: {
      name: info.HostConfig.RestartPolicy?.Name || 'no',
      maximumRetryCount: info.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0,
    },
    restartCount: info.RestartCount,
    health: health
      ? {
          status: health.Status,
          failingStreak: health.FailingStreak,
          log: (health.Log ?? []).slice(-HEALTH_LOG_ENTRIES).map((entry) => ({
            start: engineTime(entry.Start),
            end: engineTime(entry.End),
            exitCode: entry.ExitCode,
            output: entry.Output,
          })),
        }
      : null,
    mounts: (info.Mounts ?? []).map((m) => ({
      type: m.Type ?? 'bind',
      ...(m.Name ? { name: m.Name } : {}),
      source: m.Source,
      destination: m.Destination,
      readOnly: !m.RW,
    })),
    networks: Object.entries(networks).map(([name, n]) => ({
      name,
      ipAddress: n.IPAddress ?? '',
      ipv6Address: n.GlobalIPv6Address ?? '',
      gateway: n.Gateway ?? '',
      macAddress: n.MacAddress ?? '',
    })),
    ports: portsFromBindings(
      info.NetworkSettings?.Ports as PortBindings | undefined,
      info.Config.ExposedPorts as Record<string, unknown> | undefined,
    ),
    env: info.Config.Env ?? [],
    labels: info.Config.Labels ?? {},
    raw: info as unknown as Record<string, unknown>,
  }
}

export async function inspectContainer(docker: Docker, ref: string): Promise<ContainerDetails> {
  return detailsFromInspect(await docker.getContainer(ref).inspect())
}
