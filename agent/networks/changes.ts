/** networks.create, remove, connect and disconnect, with refusals that say what to do. */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import type { networkConnectSchema, networkCreateSchema } from '../../protocol/schema'
import type { z } from 'zod'
import { engineMessage } from '../engine/errors'
import { containersOn, inspectNetwork } from './list'

type CreateParams = z.output<typeof networkCreateSchema>
type ConnectParams = z.output<typeof networkConnectSchema>

export async function createNetwork(docker: Docker, p: CreateParams): Promise<{ id: string; name: string }> {
  const config = p.subnet ? [{ Subnet: p.subnet, Gateway: p.gateway, IPRange: p.ipRange }] : []
  try {
    const network = await docker.createNetwork({
      Name: p.name,
      Driver: p.driver,
      // without it the engine happily makes a second network of the same name
      CheckDuplicate: true,
      Internal: p.internal,
      IPAM: { Driver: 'default', Config: config },
      Options: p.parent ? { parent: p.parent } : {},
      Labels: p.labels,
    })
    return { id: network.id, name: p.name }
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode
    if (p.driver !== 'bridge' && status !== undefined && status >= 500) {
      // e.g. "operation not supported": no macvlan/ipvlan kernel module, or no usable parent
      throw new BerthError(
        'UNSUPPORTED',
        `this host's engine cannot create a ${p.driver} network: ${engineMessage(err as Error)}. ` +
          `${p.driver} needs kernel support and a parent interface on the host; a bridge network needs neither`,
      )
    }
    throw err
  }
}

export async function removeNetwork(docker: Docker, ref: string): Promise<{ id: string }> {
  const network = await inspectNetwork(docker, ref)
  const names = await containersOn(docker, network)
  if (names.length > 0) {
    throw new BerthError(
      'CONFLICT',
      `network ${network.name} is in use by ${names.length === 1 ? 'container' : 'containers'} ${names.join(', ')}: disconnect or remove ${names.length === 1 ? 'it' : 'them'} first`,
      { containers: names },
    )
  }
  if (network.builtIn) throw new BerthError('CONFLICT', `${network.name} is one of the engine's own networks and cannot be removed`)
  await docker.getNetwork(network.id).remove()
  return { id: network.id }
}

export async function connectNetwork(docker: Docker, p: ConnectParams): Promise<{ network: string; container: string }> {
  const network = docker.getNetwork(p.network)
  const ipam = p.ipv4Address ? { IPv4Address: p.ipv4Address } : undefined
  await network.connect({
    Container: p.container,
    EndpointConfig: { ...(ipam ? { IPAMConfig: ipam } : {}), Aliases: p.aliases },
  })
  return { network: p.network, container: p.container }
}

export async function disconnectNetwork(
  docker: Docker,
  p: { network: string; container: string; force: boolean },
): Promise<{ network: string; container: string }> {
  await docker.getNetwork(p.network).disconnect({ Container: p.container, Force: p.force })
  return { network: p.network, container: p.container }
}
