/** containers.* methods: the engine's list and lifecycle calls, in Berth's shapes. */
import type Docker from 'dockerode'
import type { ContainerState, ContainerSummary } from '../protocol/schema'
import { containerStates } from '../protocol/schema'
import { isNotModified } from './engine-errors'

const knownStates = new Set<string>(containerStates)

/** The list API gives exit codes only inside Status ("Exited (3) 2 minutes ago"). */
export function exitCodeFromStatus(status: string): number | null {
  const match = /^Exited \((-?\d+)\)/.exec(status)
  return match ? Number(match[1]) : null
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
  }
}

export async function listContainers(docker: Docker): Promise<ContainerSummary[]> {
  const infos = await docker.listContainers({ all: true })
  return infos.map(summarize)
}

/** One container by exact id, or null once it is gone. */
export async function findContainer(docker: Docker, id: string): Promise<ContainerSummary | null> {
  const infos = await docker.listContainers({ all: true, filters: { id: [id] } })
  const exact = infos.find((info) => info.Id === id)
  return exact ? summarize(exact) : null
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
