/**
 * Reads a running container's resource use straight from its cgroup files and its network
 * namespace's /proc/<pid>/net/dev, so sampling costs the engine nothing (one engine stats
 * stream per container is what makes dockerd burn CPU on small hosts, moby#21837).
 *
 * The files are found from the container's main process: /proc/<pid>/cgroup names its cgroup
 * (v2 "0::/path", or one path per v1 controller), /proc/self/mountinfo says where each
 * hierarchy is mounted. A container whose files cannot be found or read here gets null, and
 * the sampler asks the engine instead.
 */
import { readFileSync } from 'node:fs'
import { totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import {
  type BlockIo,
  type CgroupMount,
  cgroupDir,
  effectiveLimit,
  memoryInUse,
  parseBlkioServiceBytes,
  parseCgroupMounts,
  parseFlatKeyed,
  parseIoStat,
  parseNetDev,
  parseProcCgroup,
  parseSingleValue,
} from './cgroup-parse'
import type { StatsReading } from './math'

/**
 * Synchronous on purpose: these are tiny kernel-made files, and a plain read costs a seventh
 * of the CPU of fs/promises' several thread-pool hops per file (measured: 7 against 54 ms per
 * 50 containers). The sampler yields to the event loop between batches of containers.
 */
export type ReadText = (path: string) => string

/** Where one container's figures are; optional files count as zero when the kernel has none. */
export interface CgroupFiles {
  version: 1 | 2
  cpu: string
  memoryUsage: string
  memoryStat: string
  memoryLimit: string
  io?: string
  pids?: string
  /** Absent for `--network host`, which `docker stats` shows as no traffic. */
  netDev?: string
}

const NS_PER_USEC = 1_000

const V1_IO_FILES = ['blkio.throttle.io_service_bytes_recursive', 'blkio.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes']

export class CgroupReader {
  private mounts: CgroupMount[] | undefined

  constructor(
    private readonly readText: ReadText = (path) => readFileSync(path, 'utf8'),
    private readonly hostMemoryBytes: number = totalmem(),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The files of a container whose main process is `pid`, checked by one full read; null when
   * this process cannot read them. The container's id must be in its cgroup path: that proves
   * the pid is the container's as this process sees it (an agentless core reads another
   * machine's engine, and a pid here would be some unrelated process).
   */
  locate(containerId: string, pid: number, hostNetwork: boolean): CgroupFiles | null {
    try {
      const mounts = (this.mounts ??= parseCgroupMounts(this.readText('/proc/self/mountinfo')))
      if (mounts.length === 0) return null
      const membership = parseProcCgroup(this.readText(`/proc/${pid}/cgroup`))
      const netDev = hostNetwork ? undefined : `/proc/${pid}/net/dev`
      const candidates = [this.v2Files(mounts, membership.unified, containerId), this.v1Files(mounts, membership.v1, containerId)]
      for (const candidate of candidates) {
        if (!candidate) continue
        const { ioChoices, ...paths } = candidate
        const files: CgroupFiles = { ...paths, netDev, io: ioChoices.find((path) => this.readable(path)) }
        try {
          this.read(files)
          return files
        } catch {
          // not readable here: try the other version, else the engine
        }
      }
      return null
    } catch {
      return null
    }
  }

  read(files: CgroupFiles): StatsReading {
    const atMs = this.now()
    const cpuText = this.readText(files.cpu)
    const usageText = this.readText(files.memoryUsage)
    const statText = this.readText(files.memoryStat)
    const limitText = this.readText(files.memoryLimit)
    const ioText = this.optional(files.io)
    const pidsText = this.optional(files.pids)
    const netText = this.optional(files.netDev)
    const cpuUsageNs =
      files.version === 1 ? (parseSingleValue(cpuText) ?? 0) : (parseFlatKeyed(cpuText).get('usage_usec') ?? 0) * NS_PER_USEC
    const usage = parseSingleValue(usageText) ?? 0
    const io: BlockIo =
      ioText === undefined ? { readBytes: 0, writeBytes: 0 } : files.version === 1 ? parseBlkioServiceBytes(ioText) : parseIoStat(ioText)
    const net = netText === undefined ? { rxBytes: 0, txBytes: 0 } : parseNetDev(netText)
    return {
      atMs,
      cpuUsageNs,
      memoryBytes: memoryInUse(usage, parseFlatKeyed(statText), files.version),
      memoryLimitBytes: effectiveLimit(parseSingleValue(limitText), this.hostMemoryBytes),
      networkRxBytes: net.rxBytes,
      networkTxBytes: net.txBytes,
      blockReadBytes: io.readBytes,
      blockWriteBytes: io.writeBytes,
      pids: pidsText === undefined ? 0 : (parseSingleValue(pidsText) ?? 0),
      source: 'cgroup',
    }
  }

  private v2Files(mounts: CgroupMount[], path: string | undefined, id: string) {
    const mount = mounts.find((m) => m.version === 2)
    const dir = mount && path?.includes(id) ? cgroupDir(mount, path) : undefined
    if (!dir) return undefined
    return {
      version: 2 as const,
      cpu: `${dir}/cpu.stat`,
      memoryUsage: `${dir}/memory.current`,
      memoryStat: `${dir}/memory.stat`,
      memoryLimit: `${dir}/memory.max`,
      pids: `${dir}/pids.current`,
      ioChoices: [`${dir}/io.stat`],
    }
  }

  private v1Files(mounts: CgroupMount[], paths: Map<string, string>, id: string) {
    const dirOf = (controller: string): string | undefined => {
      const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(controller))
      const path = paths.get(controller)
      return mount && path?.includes(id) ? cgroupDir(mount, path) : undefined
    }
    const cpu = dirOf('cpuacct')
    const memory = dirOf('memory')
    if (!cpu || !memory) return undefined
    const blkio = dirOf('blkio')
    const pids = dirOf('pids')
    return {
      version: 1 as const,
      cpu: `${cpu}/cpuacct.usage`,
      memoryUsage: `${memory}/memory.usage_in_bytes`,
      memoryStat: `${memory}/memory.stat`,
      memoryLimit: `${memory}/memory.limit_in_bytes`,
      pids: pids ? `${pids}/pids.current` : undefined,
      ioChoices: blkio ? V1_IO_FILES.map((f) => `${blkio}/${f}`) : [],
    }
  }

  private readable(path: string): boolean {
    try {
      this.readText(path)
      return true
    } catch {
      return false
    }
  }

  private optional(path: string | undefined): string | undefined {
    return path === undefined ? undefined : this.readText(path)
  }
}
