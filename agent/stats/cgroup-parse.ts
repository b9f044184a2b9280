/**
 * Parsers for the kernel files a container's resource use is read from: the cgroup mounts,
 * a process's cgroup membership, and the cgroup v1 and v2 accounting files. Pure functions
 * over file contents, so fixtures test them without a kernel.
 */

/** A mounted cgroup hierarchy: v2 (unified) or a v1 one with its controllers. */
export interface CgroupMount {
  version: 1 | 2
  /** v1 controllers of this hierarchy (cpu, cpuacct, memory, blkio, pids, ...); empty for v2. */
  controllers: string[]
  /** The hierarchy path mounted there ("/" unless this is a cgroup namespace or a bind mount). */
  root: string
  mountPoint: string
}

/** Undoes the octal escapes mountinfo uses for spaces, tabs and newlines in paths. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

const MOUNT_FLAGS = new Set(['rw', 'ro'])

/** The cgroup mounts in /proc/self/mountinfo. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = []
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ')
    if (!left || !right) continue
    const fields = left.split(' ')
    const [fsType, , superOptions = ''] = right.split(' ')
    const root = fields[3]
    const mountPoint = fields[4]
    if (root === undefined || mountPoint === undefined) continue
    if (fsType === 'cgroup2') {
      mounts.push({ version: 2, controllers: [], root: unescapeMountPath(root), mountPoint: unescapeMountPath(mountPoint) })
    } else if (fsType === 'cgroup') {
      const controllers = superOptions.split(',').filter((o) => !MOUNT_FLAGS.has(o) && !o.includes('='))
      mounts.push({ version: 1, controllers, root: unescapeMountPath(root), mountPoint: unescapeMountPath(mountPoint) })
    }
  }
  return mounts
}

/** A process's memberships from /proc/<pid>/cgroup: "0::/path" for v2, "4:memory:/path" for v1. */
export interface CgroupMembership {
  /** The unified (v2) path, when the process has one. */
  unified?: string
  /** v1 controller -> path. */
  v1: Map<string, string>
}

export function parseProcCgroup(text: string): CgroupMembership {
  const membership: CgroupMembership = { v1: new Map() }
  for (const line of text.split('\n')) {
    const first = line.indexOf(':')
    const second = line.indexOf(':', first + 1)
    if (first < 0 || second < 0) continue
    const controllers = line.slice(first + 1, second)
    const path = line.slice(second + 1)
    if (line.slice(0, first) === '0' && controllers === '') membership.unified = path
    else for (const c of controllers.split(',')) if (c) membership.v1.set(c, path)
  }
  return membership
}

/** Where a hierarchy path is on disk under a mount (the mount may expose only a subtree). */
export function cgroupDir(mount: CgroupMount, path: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root
  if (root && path !== root && !path.startsWith(`${root}/`)) return undefined
  const rest = path.slice(root.length)
  return `${mount.mountPoint}${rest === '/' ? '' : rest}`
}

/** "key value" lines (cpu.stat, memory.stat) as a map of numbers. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/)
    if (key && value !== undefined && /^\d+$/.test(value)) out.set(key, Number(value))
  }
  return out
}

/** A single-number file (memory.current, pids.current, cpuacct.usage); "max" is null. */
export function parseSingleValue(text: string): number | null {
  const value = text.trim()
  if (value === 'max') return null
  if (!/^\d+$/.test(value)) throw new Error(`not a number: ${value.slice(0, 40)}`)
  return Number(value)
}

export interface BlockIo {
  readBytes: number
  writeBytes: number
}

/** v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 ..." per device. */
export function parseIoStat(text: string): BlockIo {
  const io = { readBytes: 0, writeBytes: 0 }
  for (const line of text.split('\n')) {
    for (const field of line.trim().split(/\s+/).slice(1)) {
      const [key, value] = field.split('=')
      if (key === 'rbytes') io.readBytes += Number(value) || 0
      else if (key === 'wbytes') io.writeBytes += Number(value) || 0
    }
  }
  return io
}

/** v1 blkio.*io_service_bytes*: "8:0 Read 123" per device and operation, then "Total N". */
export function parseBlkioServiceBytes(text: string): BlockIo {
  const io = { readBytes: 0, writeBytes: 0 }
  for (const line of text.split('\n')) {
    const [, op, value] = line.trim().split(/\s+/)
    if (op === 'Read') io.readBytes += Number(value) || 0
    else if (op === 'Write') io.writeBytes += Number(value) || 0
  }
  return io
}

export interface NetworkIo {
  rxBytes: number
  txBytes: number
}

/**
 * /proc/<pid>/net/dev of a process in the container's network namespace. Loopback is left
 * out: `docker stats` counts only the container's own endpoints.
 */
export function parseNetDev(text: string): NetworkIo {
  const io = { rxBytes: 0, txBytes: 0 }
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const iface = line.slice(0, colon).trim()
    if (iface === 'lo' || iface.includes('|')) continue
    const fields = line.slice(colon + 1).trim().split(/\s+/)
    // receive: bytes packets errs drop fifo frame compressed multicast, then transmit: bytes ...
    io.rxBytes += Number(fields[0]) || 0
    io.txBytes += Number(fields[8]) || 0
  }
  return io
}

/**
 * Memory in use as `docker stats` counts it: usage minus the inactive page cache, which the
 * kernel can drop at once (v1 total_inactive_file, v2 inactive_file).
 */
export function memoryInUse(usageBytes: number, stat: Map<string, number>, version: 1 | 2): number {
  const inactive = (version === 1 ? stat.get('total_inactive_file') : stat.get('inactive_file')) ?? 0
  return inactive < usageBytes ? usageBytes - inactive : usageBytes
}

/** A limit at or above the host's memory (or none) shows as the host's memory, as the engine reports it. */
export function effectiveLimit(limitBytes: number | null, hostMemoryBytes: number): number {
  return limitBytes === null || limitBytes > hostMemoryBytes ? hostMemoryBytes : limitBytes
}
