/** Network and volume routes: list, inspect, create, remove; connect and disconnect for networks. */
import type { FakeEngine } from '../server'
import { EngineFault, flag, jsonBody, jsonQuery, sendJson, sendNoContent } from '../http'
import type { NetworkJson, VolumeJson } from '../shapes'
import { randomId } from '../state'
import { addVolume } from '../fixtures'

/** A network as inspect shows it: with the running containers on it (the list leaves them out). */
function withContainers(engine: FakeEngine, n: NetworkJson): NetworkJson {
  const containers: NetworkJson['Containers'] = {}
  for (const c of engine.state.containers.values()) {
    if (!c.State.Running) continue
    const e = Object.entries(c.NetworkSettings.Networks).find(([name, ep]) => ep.NetworkID === n.Id || name === n.Name)?.[1]
    if (e) containers[c.Id] = { Name: c.Name.slice(1), EndpointID: e.EndpointID, MacAddress: e.MacAddress, IPv4Address: `${e.IPAddress}/${e.IPPrefixLen}`, IPv6Address: '' }
  }
  return { ...n, Containers: containers }
}

export function networkRoutes(engine: FakeEngine): void {
  const s = engine.state

  engine.route('GET /networks', (_req, res) => sendJson(res, 200, [...s.networks.values()]))

  engine.route('GET /networks/{id}', (req, res) => sendJson(res, 200, withContainers(engine, s.network(req.params.id!))))

  engine.route('POST /networks/create', (req, res) => {
    const body = jsonBody<{ Name: string; Driver?: string; CheckDuplicate?: boolean; Internal?: boolean; IPAM?: NetworkJson['IPAM']; Options?: Record<string, string>; Labels?: Record<string, string> }>(req)
    if (body.CheckDuplicate && [...s.networks.values()].some((n) => n.Name === body.Name)) {
      throw new EngineFault(409, `network with name ${body.Name} already exists`)
    }
    // this host has no macvlan or ipvlan kernel module, like many small VPS kernels
    if (body.Driver === 'macvlan' || body.Driver === 'ipvlan') throw new EngineFault(500, `failed to create the ${body.Driver} port: operation not supported`)
    const id = randomId()
    s.networks.set(id, {
      Name: body.Name,
      Id: id,
      Created: new Date().toISOString(),
      Scope: 'local',
      Driver: body.Driver ?? 'bridge',
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: {}, Config: body.IPAM?.Config?.length ? body.IPAM.Config : [{ Subnet: '172.21.0.0/16', Gateway: '172.21.0.1' }] },
      Internal: body.Internal ?? false,
      Attachable: false,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Containers: {},
      Options: body.Options ?? {},
      Labels: body.Labels ?? {},
    })
    s.emit('network', 'create', id, { name: body.Name, type: body.Driver ?? 'bridge' })
    sendJson(res, 201, { Id: id, Warning: '' })
  })

  engine.route('DELETE /networks/{id}', (req, res) => {
    const n = s.network(req.params.id!)
    if (Object.keys(withContainers(engine, n).Containers).length > 0) {
      throw new EngineFault(403, `error while removing network: network ${n.Name} id ${n.Id} has active endpoints`)
    }
    s.networks.delete(n.Id)
    s.emit('network', 'destroy', n.Id, { name: n.Name, type: n.Driver })
    sendNoContent(res)
  })

  engine.route('POST /networks/{id}/connect', (req, res) => {
    const n = s.network(req.params.id!)
    const body = jsonBody<{ Container: string; EndpointConfig?: { IPAMConfig?: { IPv4Address?: string }; Aliases?: string[] } }>(req)
    const c = s.container(body.Container)
    if (c.NetworkSettings.Networks[n.Name]) throw new EngineFault(403, `endpoint with name ${c.Name.slice(1)} already exists in network ${n.Name}`)
    const ip = body.EndpointConfig?.IPAMConfig?.IPv4Address ?? `172.20.0.${10 + Object.keys(withContainers(engine, n).Containers).length}`
    c.NetworkSettings.Networks[n.Name] = {
      NetworkID: n.Id, EndpointID: randomId(), Gateway: ip.replace(/\.\d+$/, '.1'), IPAddress: ip, IPPrefixLen: 16,
      IPv6Gateway: '', GlobalIPv6Address: '', MacAddress: '02:42:ac:14:00:0a', Aliases: body.EndpointConfig?.Aliases ?? null,
    }
    s.emit('network', 'connect', n.Id, { container: c.Id, name: n.Name, type: n.Driver })
    res.writeHead(200)
    res.end()
  })

  engine.route('POST /networks/{id}/disconnect', (req, res) => {
    const n = s.network(req.params.id!)
    const body = jsonBody<{ Container: string; Force?: boolean }>(req)
    const c = s.container(body.Container)
    if (!c.NetworkSettings.Networks[n.Name]) throw new EngineFault(403, `container ${c.Id} is not connected to network ${n.Name}`)
    delete c.NetworkSettings.Networks[n.Name]
    s.emit('network', 'disconnect', n.Id, { container: c.Id, name: n.Name, type: n.Driver })
    res.writeHead(200)
    res.end()
  })
}

export function volumeRoutes(engine: FakeEngine): void {
  const s = engine.state
  const users = (name: string): string[] =>
    [...s.containers.values()].filter((c) => c.Mounts.some((m) => m.Type === 'volume' && m.Name === name)).map((c) => c.Id)

  engine.route('GET /volumes', (req, res) => {
    const names = jsonQuery(req, 'filters').name
    const volumes: VolumeJson[] = [...s.volumes.values()].filter((v) => !names || names.some((n) => v.Name.includes(n)))
    sendJson(res, 200, { Volumes: volumes, Warnings: null })
  })

  engine.route('GET /volumes/{name}', (req, res) => sendJson(res, 200, s.volume(req.params.name!)))

  engine.route('POST /volumes/create', (req, res) => {
    const body = jsonBody<{ Name?: string; Driver?: string; DriverOpts?: Record<string, string>; Labels?: Record<string, string> }>(req)
    const name = body.Name || randomId()
    // a second create of the same name answers with the volume that is there
    const volume = s.volumes.get(name) ?? addVolume(s, name, 0, body.Labels ?? null)
    volume.Driver = body.Driver ?? volume.Driver
    volume.Options = body.DriverOpts ?? volume.Options
    s.emit('volume', 'create', name, { driver: volume.Driver })
    sendJson(res, 201, volume)
  })

  engine.route('DELETE /volumes/{name}', (req, res) => {
    const volume = s.volume(req.params.name!)
    const using = users(volume.Name)
    if (using.length > 0 && !flag(req, 'force')) throw new EngineFault(409, `remove ${volume.Name}: volume is in use - [${using.join(', ')}]`)
    s.volumes.delete(volume.Name)
    s.files.delete(volume.Name)
    s.emit('volume', 'destroy', volume.Name, { driver: volume.Driver })
    sendNoContent(res)
  })
}
