/**
 * What live stats cost the engine: CPU time dockerd spends while Berth shows stats for 50
 * running containers, beside `docker stats` (the CLI) for the same containers. One engine
 * stats stream per container is what makes dockerd burn CPU on small hosts (moby#21837);
 * Berth's agent reads cgroup files instead and asks the engine only where it cannot.
 *
 *   npx tsx bench/stats-cpu.ts              # lab host h2 (lab must be up: tests/lab/up.sh)
 *   npx tsx bench/stats-cpu.ts --lab h1     # another lab host
 *   WINDOW_SECONDS=10 npx tsx bench/stats-cpu.ts
 *
 * Phases, each a WINDOW_SECONDS window after a short warm-up, CPU read as utime+stime from
 * /proc/<pid>/stat (same machine: the lab hosts are namespaces here):
 *   idle     nobody watches (the baseline dockerd burns anyway)
 *   cgroup   Berth, with an agent that can read the cgroup files (this computer's agent,
 *            pointed at the host's engine by DOCKER_HOST), sampling every 2 s as the window does
 *   ssh      Berth, with the host's own agent over SSH: the lab's login cannot see
 *            /sys/fs/cgroup, so it falls back to one-shot engine stats calls
 *   cli      `docker stats` against the host's socket
 * The 50 containers (bench-stats-N) are removed at the end, also on failure or Ctrl-C.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BerthCore } from '../main/core/core'
import { DEFAULT_STATS_INTERVAL_MS, type StatsSample } from '../protocol/schema'
import { sleep } from './measure'

const CONTAINERS = Number(process.env.CONTAINERS ?? 50)
const WINDOW_SECONDS = Number(process.env.WINDOW_SECONDS ?? 30)
/** Time for a phase to settle (subscribe, first list and lookups) before its window opens. */
const WARMUP_MS = 4_000
/** Containers started at once: the engine takes a burst of 50 runs poorly. */
const START_BATCH = 10
const PREFIX = 'bench-stats-'
const labIndex = process.argv.indexOf('--lab')
const labName = labIndex > 0 ? process.argv[labIndex + 1]! : 'h2'
const root = join(import.meta.dirname, '..')
const agentDir = join(root, 'out/agent')
const run = promisify(execFile)

interface LabHost {
  name: string
  address: string
  user: string
  dockerHost: string
  hostKeyFingerprint: string
}
const lab = JSON.parse(readFileSync('/run/berth-lab/lab.json', 'utf8')) as { identityFile: string; image: string; hosts: LabHost[] }
const host = lab.hosts.find((h) => h.name === labName)
if (!host) throw new Error(`the lab has no host ${labName}`)
const docker = async (...args: string[]): Promise<string> => (await run('/usr/bin/docker', ['-H', host.dockerHost, ...args])).stdout.trim()

const TICKS_PER_SECOND = Number((await run('getconf', ['CLK_TCK'])).stdout.trim())

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  // the command name in parentheses may hold spaces: count fields after its closing one
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** The pid of a process matching `test`, by its command line and owner. */
function findProcess(test: (args: string, uid: number) => boolean): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1])
      if (test(args, uid)) return Number(entry)
    } catch {
      // gone meanwhile
    }
  }
  return undefined
}


interface Measured {
  dockerd: number
  agent?: number
  samples?: number
  sources?: string
}

/** Runs `during` for the warm-up plus one window and returns the CPU seconds each pid used in the window. */
async function measure(dockerdPid: number, agentPid?: number): Promise<Measured> {
  await sleep(WARMUP_MS)
  const d0 = cpuSeconds(dockerdPid)
  const a0 = agentPid ? cpuSeconds(agentPid) : 0
  await sleep(WINDOW_SECONDS * 1000)
  return { dockerd: cpuSeconds(dockerdPid) - d0, ...(agentPid ? { agent: cpuSeconds(agentPid) - a0 } : {}) }
}

async function berthPhase(core: BerthCore, hostId: string, dockerdPid: number, agentPid: () => number | undefined): Promise<Measured> {
  const samples: StatsSample[] = []
  const off = core.onEvent((event, payload) => {
    if (event === 'stats.sample' && (payload as { hostId: string }).hostId === hostId) samples.push(payload as StatsSample)
  })
  const r = await core.invoke('stats.subscribe', { hostId, intervalMs: DEFAULT_STATS_INTERVAL_MS })
  if (!r.ok) throw new Error(`stats.subscribe: ${r.error.message}`)
  const pid = agentPid()
  if (!pid) throw new Error('could not find the agent process')
  const m = await measure(dockerdPid, pid)
  await core.invoke('stats.unsubscribe', { hostId })
  off()
  const last = samples.at(-1)
  const ours = last?.containers.filter((c) => c.name.startsWith(PREFIX)) ?? []
  const sources = [...new Set(ours.map((c) => c.source))].join('+')
  if (ours.length !== CONTAINERS) throw new Error(`the last sample had ${ours.length} of the ${CONTAINERS} containers`)
  return { ...m, samples: samples.length, sources }
}

async function main(): Promise<void> {
  const dockerdPid = Number(readFileSync(`/run/berth-lab/${host!.name}/docker.pid`, 'utf8').trim())
  const names = Array.from({ length: CONTAINERS }, (_, i) => `${PREFIX}${i + 1}`)
  const cleanup = async () => {
    await docker('rm', '-f', ...names).catch(() => {})
  }
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))
  await cleanup()
  const started = Date.now()
  for (let i = 0; i < names.length; i += START_BATCH) {
    await Promise.all(names.slice(i, i + START_BATCH).map((n) => docker('run', '-d', '--network', 'none', '--name', n, lab.image, 'sleep', '1000000')))
  }
  console.log(`stats CPU cost on lab host ${host!.name}: ${CONTAINERS} running idle containers started in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  console.log(`each phase: ${WARMUP_MS / 1000} s warm-up, then ${WINDOW_SECONDS} s measured; CPU seconds used in the window`)

  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'))
  const core = new BerthCore({ dataDir, agentDir, homeDir: dataDir, autoConnect: false, env: { ...process.env, DOCKER_HOST: host!.dockerHost } })
  let cli: ChildProcess | undefined
  try {
    await core.start()
    const local = await core.invoke('hosts.connect', { hostId: 'local' })
    if (!local.ok) throw new Error(local.error.message)
    const added = await core.invoke('hosts.add', { name: host!.name, address: host!.address, port: 22, user: host!.user, identityFile: lab.identityFile })
    if (!added.ok) throw new Error(added.error.message)
    const sshId = (added.result as { id: string }).id
    await core.invoke('hosts.connect', { hostId: sshId })
    const trusted = await core.invoke('hosts.trustKey', { hostId: sshId, fingerprint: host!.hostKeyFingerprint })
    if (!trusted.ok) throw new Error(trusted.error.message)
    const hostUid = Number((await run('id', ['-u', host!.user])).stdout.trim())

    const idle = await measure(dockerdPid)
    const cgroup = await berthPhase(core, 'local', dockerdPid, () => findProcess((a) => a.includes(join(agentDir, 'agent.cjs')) && a.includes('--stdio')))
    const ssh = await berthPhase(core, sshId, dockerdPid, () => findProcess((a, uid) => uid === hostUid && a.includes('agent.cjs') && a.includes('--daemon')))
    cli = spawn('/usr/bin/docker', ['-H', host!.dockerHost, 'stats'], { stdio: ['ignore', 'ignore', 'ignore'] })
    const viaCli = await measure(dockerdPid, cli.pid)

    const perSecond = (s: number) => `${s.toFixed(2)} s (${((s / WINDOW_SECONDS) * 100).toFixed(1)} % of one core)`
    const row = (label: string, m: Measured) =>
      console.log(
        `  ${label.padEnd(44)} dockerd ${perSecond(m.dockerd)}` +
          (m.agent !== undefined ? `, ${label.startsWith('docker') ? 'CLI' : 'agent'} ${perSecond(m.agent)}` : '') +
          (m.sources ? `, ${m.samples} samples from ${m.sources}` : ''),
      )
    row('idle (nobody watching)', idle)
    row('Berth, agent reading cgroup files', cgroup)
    row('Berth, agent over SSH (engine fallback)', ssh)
    row('docker stats', viaCli)
    const ratio = (m: Measured) => m.dockerd / viaCli.dockerd
    console.log(`  ratio dockerd CPU Berth/docker stats: cgroup ${ratio(cgroup).toFixed(2)}, engine fallback ${ratio(ssh).toFixed(2)}`)
    console.log(`  target: at most 0.50; Berth with cgroup files is ${ratio(cgroup) <= 0.5 ? 'within' : 'OVER'} it, the engine fallback ${ratio(ssh) <= 0.5 ? 'within' : 'OVER'} it`)
  } finally {
    cli?.kill()
    await core.close()
    await cleanup()
  }
  process.exit(0)
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
