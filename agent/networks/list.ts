/** networks.list and networks.inspect: the engine's networks with the containers on them. */
import type Docker from 'dockerode'
import type { NetworkAttachment, NetworkDetail, NetworkSummary } from '../../protocol/schema'

const builtInNames = new Set(['bridge', 'host', 'none'])

interface IpamConfig {
  Subnet?: string
  Gateway?: string
  IPRange?: string
}

function subnets(config: IpamConfig[] | null | undefined): NetworkSummary['subnets'] {
  return (config ?? []).map((c) => ({ subnet: c.Subnet ?? '', gateway: c.Gateway ?? '', ipRange: c.IPRange ?? '' }))
}

function summary(info: Docker.NetworkInspectInfo, containers: NetworkAttachment[]): NetworkSummary {
  return {
    id: info.Id,
    name: info.Name,
    driver: info.Driver,
    scope: info.Scope,
    internal: info.Internal,
    subnets: subnets(info.IPAM?.Config as IpamConfig[] | undefined),
    containers: containers.sort((a, b) => a.containerName.localeCompare(b.containerName)),
    labels: info.Labels ?? {},
    created: info.Created,
    builtIn: builtInNames.has(info.Name),
  }
}

export function containerName(c: Docker.ContainerInfo): string {
  return (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '')
}

/** Containers on a network, running or not (network inspect lists running ones only). */
export async function containersOn(docker: Docker, network: { id: string; name: string }): Promise<string[]> {
  const all = await docker.listContainers({ all: true })
  return all
    .filter((c) =>
      Object.entries(c.NetworkSettings?.Networks ?? {}).some(([name, e]) => e.NetworkID === network.id || name === network.name),
    )
    .map(containerName)
    .sort()
}

/**
 * The network list API leaves `Containers` empty, so attachments come from one container
 * list (each container names its networks) instead of one inspect per network.
 */
export async function listNetworks(docker: Docker): Promise<NetworkSummary[]> {
  const [networks, containers] = await Promise.all([docker.listNetworks(), docker.listContainers({ all: true })])
  const idByName = new Map(networks.map((n) => [n.Name, n.Id]))
  const byNetwork = new Map<string, NetworkAttachment[]>()
  for (const c of containers) {
    const name = containerName(c)
    for (const [networkName, endpoint] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      // a container never started has no endpoint yet, so no NetworkID: its key is the name
      const id = endpoint.NetworkID || idByName.get(networkName) || networkName
      const list = byNetwork.get(id) ?? []
      list.push({ containerId: c.Id, containerName: name, ipv4Address: endpoint.IPAddress ?? '', aliases: endpoint.Aliases ?? [] })
      byNetwork.set(id, list)
    }
  }
  return networks
    .map((n) => summary(n, byNetwork.get(n.Id) ?? []))
    .sort((a, b) => a.name.localeCompare(b.name))
}

export async function inspectNetwork(docker: Docker, ref: string): Promise<NetworkDetail> {
  const info = (await docker.getNetwork(ref).inspect()) as Docker.NetworkInspectInfo
  const attached = Object.entries(info.Containers ?? {}).map(([id, c]) => ({
    containerId: id,
    containerName: c.Name,
    ipv4Address: (c.IPv4Address ?? '').replace(/\/\d+$/, ''),
    aliases: [],
  }))
  return {
    ...summary(info, attached),
    attachable: info.Attachable,
    enableIPv6: info.EnableIPv6,
    options: info.Options ?? {},
  }
}
