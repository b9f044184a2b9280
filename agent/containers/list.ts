/** containers.* methods: the engine's list and lifecycle calls, in Berth's shapes. */
import type Docker from 'dockerode'
import type { ContainerHealth, ContainerState, ContainerSummary } from '../../protocol/schema'
import { containerStates } from '../../protocol/schema'
import { isNotModified } from '../engine/errors'

const knownStates = new Set<string>(containerStates)

/** The list API gives exit codes only inside Status ("Exited (3) 2 minutes ago"). */
export function exitCodeFromStatus(status: string): number | null {
  const match = /^Exited \((-?\d+)\)/.exec(status)
  return match ? Number(match[1]) : null
}

/** The list API gives health only inside Status ("Up 3 minutes (healthy)"). */
export function healthFromStatus(status: string): ContainerHealth | null {
  if (/\(healthy\)/.test(status)) return 'healthy'
  if (/\(unhealthy\)/.test(status)) return 'unhealthy'
  if (/\(health: starting\)/.test(status)) return 'starting'
  return null
}

/** Ports as `docker ps` prints them: "0.0.0.0:8080->80/tcp", "[::]:8080->80/tcp", "80/tcp". */
export function portsOf(ports: Docker.Port[] | undefined): string[] {
  const out = new Set<string>()
  for (const p of ports ?? []) {
    if (p.PublicPort) {
      const ip = p.IP?.includes(':') ? `[${p.IP}]` : p.IP || '0.0.0.0'
      out.add(`${ip}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`)
    } else {
      out.add(`${p.PrivatePort}/${p.Type}`)
    }
  }
  return [...out]
}

export function summarize(info: Docker.ContainerInfo): ContainerSummary {
  const state = (knownStates.has(info.State) ? info.State : 'dead') as ContainerState
  const name = (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, '')
  return {
    id: info.Id,
    name,
    image: info.Image,
    command: info.Command,
    state,
    status: info.Status,
    exitCode: state === 'exited' || state === 'dead' ? exitCodeFromStatus(info.Status) : null,
    created: info.Created,
    ports: portsOf(info.Ports),
    health: healthFromStatus(info.Status),
  }
}

/** Berth's own helper containers (the volume browser's) are Berth's business, not the user's list. */
export const HELPER_LABEL = 'berth.helper'
const isHelper = (info: Docker.ContainerInfo): boolean => info.Labels?.[HELPER_LABEL] !== undefined

export async function listContainers(docker: Docker): Promise<ContainerSummary[]> {
  const infos = await docker.listContainers({ all: true })
  return infos.filter((info) => !isHelper(info)).map(summarize)
}

/** One container by exact id, or null once it is gone. */
export async function findContainer(docker: Docker, id: string): Promise<ContainerSummary | null> {
  // The engine announces pause, unpause and die while it still holds the container's lock and
  // before its list is updated, so a list taken at once can show the state before the event.
  // An inspect waits for that lock: the list taken after it is current.
  try {
    await docker.getContainer(id).inspect()
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null
    throw err
  }
  const infos = await docker.listContainers({ all: true, filters: { id: [id] } })
  const exact = infos.find((info) => info.Id === id)
  return exact && !isHelper(exact) ? summarize(exact) : null
}

export async function startContainer(docker: Docker, ref: string): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  try {
    await container.start()
  } catch (err) {
    // like `docker start`, starting a running container succeeds
    if (!isNotModified(err)) throw err
  }
  return { id: (await container.inspect()).Id }
}

export async function stopContainer(docker: Docker, ref: string, timeoutSeconds?: number): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  try {
    await container.stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds })
  } catch (err) {
    if (!isNotModified(err)) throw err
  }
  return { id: (await container.inspect()).Id }
}
