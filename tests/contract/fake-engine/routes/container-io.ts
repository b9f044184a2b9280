/** What comes out of a container: its logs (a page or a follow), its stats, its filesystem as a tar. */
import tar from 'tar-stream'
import type { FakeEngine } from '../server'
import { flag, muxFrame, startStream } from '../http'
import type { ContainerJson } from '../shapes'
import type { LogEntry } from '../state'

/** "seconds.nanoseconds" (what the agent sends) or RFC 3339, as nanoseconds since the epoch. */
function toNanos(value: string): bigint {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const [whole = '0', frac = ''] = value.split('.')
    return BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9))
  }
  const [, base = value, frac = ''] = /^(.*?)(?:\.(\d+))?Z$/.exec(value) ?? []
  return BigInt(Date.parse(`${base}Z`)) * 1_000_000n + BigInt(frac.padEnd(9, '0').slice(3, 9) || '0')
}

function logBytes(c: ContainerJson, entry: LogEntry, timestamps: boolean): Buffer {
  const line = `${timestamps ? `${entry.time} ` : ''}${entry.text}\n`
  // a TTY container's log is one raw stream; otherwise stdout and stderr come in frames
  return c.Config.Tty ? Buffer.from(line.replace(/\n$/, '\r\n')) : muxFrame(entry.stream, line)
}

/** The engine's stats answer for a running container (cgroup v2 host), growing a little per read. */
function statsFor(c: ContainerJson, reads: number): Record<string, unknown> {
  if (!c.State.Running) {
    return { read: '0001-01-01T00:00:00Z', preread: '0001-01-01T00:00:00Z', pids_stats: {}, cpu_stats: { cpu_usage: { total_usage: 0 } }, memory_stats: {}, name: c.Name, id: c.Id }
  }
  return {
    read: new Date().toISOString(),
    preread: '0001-01-01T00:00:00Z',
    pids_stats: { current: 5, limit: 4_915 },
    blkio_stats: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'read', value: 4_096_000 }, { major: 8, minor: 0, op: 'write', value: 1_024_000 }] },
    cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 + reads * 250_000_000, usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 1e15, online_cpus: 4, throttling_data: {} },
    precpu_stats: { cpu_usage: { total_usage: 0 }, throttling_data: {} },
    memory_stats: { usage: 52_428_800, stats: { inactive_file: 10_485_760, anon: 31_457_280 }, limit: 8_235_327_488 },
    name: c.Name,
    id: c.Id,
    networks: { eth0: { rx_bytes: 648_000, rx_packets: 500, rx_errors: 0, rx_dropped: 0, tx_bytes: 324_000, tx_packets: 250, tx_errors: 0, tx_dropped: 0 } },
  }
}

export function containerIoRoutes(engine: FakeEngine): void {
  const s = engine.state
  const statReads = new Map<string, number>()

  engine.route('GET /containers/{id}/logs', (req, res) => {
    const c = s.container(req.params.id!)
    const timestamps = flag(req, 'timestamps')
    const since = req.query.get('since')
    const until = req.query.get('until')
    const tail = req.query.get('tail') ?? 'all'
    let entries = (s.logs.get(c.Id) ?? []).filter(
      (e) => (since === null || toNanos(e.time) > toNanos(since)) && (until === null || toNanos(e.time) <= toNanos(until)),
    )
    if (tail !== 'all') entries = entries.slice(Math.max(0, entries.length - Number(tail)))
    entries = entries.filter((e) => (e.stream === 1 ? flag(req, 'stdout') : flag(req, 'stderr')))
    startStream(res, c.Config.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream')
    for (const e of entries) res.write(logBytes(c, e, timestamps))
    if (!flag(req, 'follow') || !c.State.Running) return void res.end()
    const follower = { write: (e: LogEntry) => res.write(logBytes(c, e, timestamps)), end: () => res.end() }
    s.followers(c.Id).add(follower)
    res.on('close', () => s.followers(c.Id).delete(follower))
  })

  engine.route('GET /containers/{id}/stats', (req, res) => {
    const c = s.container(req.params.id!)
    const reads = (statReads.get(c.Id) ?? 0) + 1
    statReads.set(c.Id, reads)
    const body = s.stats.get(c.Id) ?? statsFor(c, reads)
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(`${JSON.stringify(body)}\n`)
  })

  engine.route('GET /containers/{id}/export', (req, res) => {
    const c = s.container(req.params.id!)
    const pack = tar.pack()
    startStream(res, 'application/x-tar')
    pack.pipe(res)
    pack.entry({ name: 'etc/', type: 'directory', mode: 0o755 })
    pack.entry({ name: 'etc/hostname', mode: 0o644 }, `${c.Config.Hostname}\n`)
    pack.entry({ name: 'srv/app.txt', mode: 0o644 }, Buffer.alloc(64 * 1024, 'x'))
    pack.finalize()
  })

  engine.route('POST /containers/{id}/resize', (req, res) => {
    s.container(req.params.id!)
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.end()
  })
}
