/** System routes: ping, info, version, disk usage, the event stream and the build cache prune. */
import type { FakeEngine } from '../server'
import { jsonQuery, sendJson, startStream } from '../http'
import { containerListEntry, imageListEntry } from '../shapes'

/** `GET /version` of dockerd 20.10.24 on amd64 Linux. */
const VERSION = {
  Platform: { Name: 'Docker Engine - Community' },
  Components: [
    { Name: 'Engine', Version: '20.10.24', Details: { ApiVersion: '1.41', Arch: 'amd64', BuildTime: '2023-04-04T17:40:46.000000000+00:00', GitCommit: '5d6db84', GoVersion: 'go1.19.7', KernelVersion: '5.15.0-91-generic', MinAPIVersion: '1.12', Os: 'linux' } },
    { Name: 'containerd', Version: '1.6.20', Details: { GitCommit: '2806fc1057397dbaeefbea0e4e17bddfbd388f38' } },
  ],
  Version: '20.10.24',
  ApiVersion: '1.41',
  MinAPIVersion: '1.12',
  GitCommit: '5d6db84',
  GoVersion: 'go1.19.7',
  Os: 'linux',
  Arch: 'amd64',
  KernelVersion: '5.15.0-91-generic',
  BuildTime: '2023-04-04T17:40:46.000000000+00:00',
}

export function systemRoutes(engine: FakeEngine): void {
  const s = engine.state

  engine.route('GET /_ping', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Api-Version': '1.41' })
    res.end('OK')
  })

  engine.route('GET /version', (_req, res) => sendJson(res, 200, { ...VERSION, ...s.version }))

  engine.route('GET /info', (_req, res) => {
    const all = [...s.containers.values()]
    sendJson(res, 200, {
      ID: 'Q5TZ:2YGM:VRSL:N7FK:5WWY:3RIP:GYVG:BQ4U:UJRY:KCPG:W6KY:LG7V',
      Containers: all.length,
      ContainersRunning: all.filter((c) => c.State.Status === 'running').length,
      ContainersPaused: all.filter((c) => c.State.Status === 'paused').length,
      ContainersStopped: all.filter((c) => !c.State.Running).length,
      Images: s.images.size,
      Driver: 'overlay2',
      DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Native Overlay Diff', 'true']],
      KernelVersion: '5.15.0-91-generic',
      OperatingSystem: 'Ubuntu 22.04.3 LTS',
      OSVersion: '22.04',
      OSType: 'linux',
      Architecture: 'x86_64',
      NCPU: 4,
      MemTotal: 8_235_327_488,
      DockerRootDir: '/var/lib/docker',
      Name: 'shop-prod-1',
      ServerVersion: '20.10.24',
      CgroupDriver: 'systemd',
      CgroupVersion: '2',
      RegistryConfig: {
        AllowNondistributableArtifactsCIDRs: [],
        AllowNondistributableArtifactsHostnames: [],
        InsecureRegistryCIDRs: ['127.0.0.0/8'],
        IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } },
        Mirrors: [],
      },
      ...s.info,
    })
  })

  engine.route('GET /system/df', (_req, res) => {
    const containers = [...s.containers.values()]
    const images = [...s.images.values()]
    sendJson(res, 200, {
      LayersSize: images.reduce((n, i) => n + i.Size, 0),
      Images: images.map((i) => imageListEntry(i, s.containersUsingImage(i.Id).length)).map((i) => ({ ...i, SharedSize: 0 })),
      Containers: containers.map((c) => ({ ...containerListEntry(c, s.containerImages.get(c.Id) ?? c.Config.Image, s.sizes.get(c.Id) ?? 0), SizeRootFs: 0 })),
      Volumes: [...s.volumes.values()].map((v) => ({
        ...v,
        UsageData: {
          Size: s.volumeUsage.get(v.Name) ?? 0,
          RefCount: containers.filter((c) => c.Mounts.some((m) => m.Name === v.Name)).length,
        },
      })),
      BuildCache: s.buildCache,
    })
  })

  engine.route('GET /events', (_req, res) => {
    startStream(res, 'application/json')
    s.watch(res)
  })

  engine.route('POST /build/prune', (req, res) => {
    const ids = jsonQuery(req, 'filters').id ?? []
    const gone = s.buildCache.filter((c) => ids.includes(String(c.ID)) && !c.InUse)
    for (const entry of gone) s.buildCache.splice(s.buildCache.indexOf(entry), 1)
    sendJson(res, 200, { CachesDeleted: gone.map((c) => c.ID), SpaceReclaimed: gone.reduce((n, c) => n + Number(c.Size), 0) })
  })
}
