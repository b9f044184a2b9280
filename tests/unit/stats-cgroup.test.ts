import { describe, expect, it } from 'vitest'
import { CgroupReader } from '../../agent/stats/cgroup'
import {
  cgroupDir,
  effectiveLimit,
  memoryInUse,
  parseBlkioServiceBytes,
  parseCgroupMounts,
  parseFlatKeyed,
  parseIoStat,
  parseNetDev,
  parseProcCgroup,
} from '../../agent/stats/cgroup-parse'

const ID = '1ad953abeaf0893294e5d33aa5fa41d3be2e59e2391ecc94b29d3742d441aa2e'

// a hybrid host (cgroup v1 controllers, an empty unified hierarchy), as in the Berth lab
const HYBRID_MOUNTINFO = `
25 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
26 25 0:23 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
27 26 0:24 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
28 26 0:25 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
29 26 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
30 26 0:27 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
31 26 0:28 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
32 26 0:29 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
33 26 0:30 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
const HYBRID_PROC_CGROUP = `9:name=systemd:/docker/${ID}
8:pids:/docker/${ID}
7:blkio:/docker/${ID}
4:memory:/docker/${ID}
2:cpuacct:/docker/${ID}
1:cpu:/docker/${ID}
0::/docker/${ID}
`
const V2_MOUNTINFO = '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n'
const V2_DIR = `/sys/fs/cgroup/system.slice/docker-${ID}.scope`

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    9000      10    0    0    0     0          0         0     9000      10    0    0    0     0       0          0
  eth0:    1500      12    0    0    0     0          0         0      700       8    0    0    0     0       0          0
`

describe('cgroup file parsing', () => {
  it('finds v1 controllers (also combined ones) and the unified hierarchy in mountinfo', () => {
    const mounts = parseCgroupMounts(`${HYBRID_MOUNTINFO}40 26 0:31 / /sys/fs/cgroup/cpu\\040acct rw - cgroup cgroup rw,cpu,cpuacct\n`)
    expect(mounts.find((m) => m.controllers.includes('memory'))).toEqual({ version: 1, controllers: ['memory'], root: '/', mountPoint: '/sys/fs/cgroup/memory' })
    expect(mounts.find((m) => m.version === 2)?.mountPoint).toBe('/sys/fs/cgroup/unified')
    expect(mounts.at(-1)).toMatchObject({ controllers: ['cpu', 'cpuacct'], mountPoint: '/sys/fs/cgroup/cpu acct' })
    // name=systemd is a named hierarchy, not a controller
    expect(mounts.find((m) => m.mountPoint.endsWith('systemd'))?.controllers).toEqual([])
    expect(parseCgroupMounts('53 49 0:40 / /sys rw,relatime - sysfs berth-h1 rw\n')).toEqual([])
  })

  it('reads a process cgroup file for both versions', () => {
    const m = parseProcCgroup(HYBRID_PROC_CGROUP)
    expect(m.unified).toBe(`/docker/${ID}`)
    expect(m.v1.get('memory')).toBe(`/docker/${ID}`)
    expect(m.v1.get('cpuacct')).toBe(`/docker/${ID}`)
    expect(parseProcCgroup(`0::/system.slice/docker-${ID}.scope\n`)).toEqual({ unified: `/system.slice/docker-${ID}.scope`, v1: new Map() })
  })

  it('maps a cgroup path under a mount, also one that exposes only a subtree', () => {
    expect(cgroupDir({ version: 2, controllers: [], root: '/', mountPoint: '/sys/fs/cgroup' }, '/a/b')).toBe('/sys/fs/cgroup/a/b')
    expect(cgroupDir({ version: 2, controllers: [], root: '/a', mountPoint: '/sys/fs/cgroup' }, '/a/b')).toBe('/sys/fs/cgroup/b')
    expect(cgroupDir({ version: 2, controllers: [], root: '/a', mountPoint: '/sys/fs/cgroup' }, '/other')).toBeUndefined()
  })

  it('sums block I/O per operation over devices, for v1 and v2', () => {
    expect(parseBlkioServiceBytes('8:0 Read 4096\n8:0 Write 100\n8:16 Read 10\n8:0 Sync 4196\n8:0 Total 4196\nTotal 4206\n')).toEqual({ readBytes: 4106, writeBytes: 100 })
    expect(parseIoStat('8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n254:0 rbytes=1 wbytes=2 rios=1 wios=1\n')).toEqual({ readBytes: 4097, writeBytes: 8194 })
  })

  it('counts network traffic of every interface but loopback', () => {
    expect(parseNetDev(NET_DEV)).toEqual({ rxBytes: 1500, txBytes: 700 })
  })

  it('counts memory as docker stats does: usage minus the inactive page cache', () => {
    expect(memoryInUse(1_000_000, parseFlatKeyed('cache 5\ntotal_inactive_file 300000\ninactive_file 1\n'), 1)).toBe(700_000)
    expect(memoryInUse(1_000_000, parseFlatKeyed('anon 5\ninactive_file 250000\n'), 2)).toBe(750_000)
    // a cache figure above usage (it happens with shared pages) is not subtracted
    expect(memoryInUse(100, parseFlatKeyed('inactive_file 250\n'), 2)).toBe(100)
    expect(effectiveLimit(null, 8e9)).toBe(8e9) // v2 "max"
    expect(effectiveLimit(9223372036854771712, 8e9)).toBe(8e9) // v1's "no limit"
    expect(effectiveLimit(512 * 1024 ** 2, 8e9)).toBe(512 * 1024 ** 2)
  })
})

function fakeFs(files: Record<string, string>) {
  const reads: string[] = []
  const read = (path: string): string => {
    reads.push(path)
    if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
    return files[path]!
  }
  return { read, reads }
}

describe('CgroupReader', () => {
  const HOST_MEMORY = 8 * 1024 ** 3
  const v1Files = {
    '/proc/self/mountinfo': HYBRID_MOUNTINFO,
    '/proc/42/cgroup': HYBRID_PROC_CGROUP,
    '/proc/42/net/dev': NET_DEV,
    [`/sys/fs/cgroup/cpuacct/docker/${ID}/cpuacct.usage`]: '2500000000\n',
    [`/sys/fs/cgroup/memory/docker/${ID}/memory.usage_in_bytes`]: '479232\n',
    [`/sys/fs/cgroup/memory/docker/${ID}/memory.stat`]: 'cache 0\ntotal_inactive_file 4096\n',
    [`/sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`]: '9223372036854771712\n',
    [`/sys/fs/cgroup/blkio/docker/${ID}/blkio.throttle.io_service_bytes`]: '8:0 Read 512\n8:0 Write 1024\nTotal 1536\n',
    [`/sys/fs/cgroup/pids/docker/${ID}/pids.current`]: '2\n',
  }

  it('reads a v1 container (the empty unified hierarchy of a hybrid host is passed over)', async () => {
    const fs = fakeFs(v1Files)
    const reader = new CgroupReader(fs.read, HOST_MEMORY, () => 1000)
    const files = reader.locate(ID, 42, false)
    expect(files?.version).toBe(1)
    expect(reader.read(files!)).toEqual({
      atMs: 1000,
      cpuUsageNs: 2_500_000_000,
      memoryBytes: 479232 - 4096,
      memoryLimitBytes: HOST_MEMORY,
      networkRxBytes: 1500,
      networkTxBytes: 700,
      blockReadBytes: 512,
      blockWriteBytes: 1024,
      pids: 2,
      source: 'cgroup',
    })
  })

  it('reads a v2 container, with usage_usec in microseconds and a set memory.max', async () => {
    const fs = fakeFs({
      '/proc/self/mountinfo': V2_MOUNTINFO,
      '/proc/7/cgroup': `0::/system.slice/docker-${ID}.scope\n`,
      '/proc/7/net/dev': NET_DEV,
      [`${V2_DIR}/cpu.stat`]: 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n',
      [`${V2_DIR}/memory.current`]: '2097152\n',
      [`${V2_DIR}/memory.stat`]: 'anon 1048576\ninactive_file 1048576\n',
      [`${V2_DIR}/memory.max`]: '268435456\n',
      [`${V2_DIR}/io.stat`]: '8:0 rbytes=10 wbytes=20 rios=1 wios=1\n',
      [`${V2_DIR}/pids.current`]: '3\n',
    })
    const reader = new CgroupReader(fs.read, HOST_MEMORY, () => 5)
    const reading = reader.read(reader.locate(ID, 7, true)!)
    expect(reading).toMatchObject({ cpuUsageNs: 1_500_000, memoryBytes: 1048576, memoryLimitBytes: 268435456, blockReadBytes: 10, pids: 3 })
    // --network host: docker stats shows no traffic for it, and the host's counters are not read
    expect(reading).toMatchObject({ networkRxBytes: 0, networkTxBytes: 0 })
    expect(fs.reads).not.toContain('/proc/7/net/dev')
  })

  it('gives up (so the engine is asked) where the cgroup files are not mounted or not readable', async () => {
    // the lab's SSH logins: /sys is the namespace's own sysfs, without /sys/fs/cgroup
    const hidden = fakeFs({ ...v1Files, '/proc/self/mountinfo': '53 49 0:40 / /sys rw,relatime - sysfs berth-h1 rw\n' })
    expect(new CgroupReader(hidden.read).locate(ID, 42, false)).toBeNull()
    // a required file that cannot be read
    const unreadable: Record<string, string> = { ...v1Files }
    delete unreadable[`/sys/fs/cgroup/memory/docker/${ID}/memory.stat`]
    expect(new CgroupReader(fakeFs(unreadable).read).locate(ID, 42, false)).toBeNull()
  })

  it('refuses a process whose cgroup is not the container’s (a pid from another machine’s engine)', async () => {
    const other = fakeFs({ ...v1Files, '/proc/42/cgroup': '4:memory:/user.slice\n2:cpuacct:/user.slice\n0::/user.slice\n' })
    expect(new CgroupReader(other.read).locate(ID, 42, false)).toBeNull()
  })
})
