/**
 * The agent's footprint, as a Raspberry Pi would carry it (issue #8): its RSS idle, while it
 * streams engine events, and while a host shell floods (`yes`, read as fast as it comes),
 * and its CPU at idle. For the x64 bundle on this machine's Node.js and the arm64 bundle on
 * Debian's arm64 Node.js under qemu-user, each installed as the installer lays it out and run
 * with --stdio and the daemon's Node flags against lab host h1's engine socket.
 *
 *   npm run --silent build && npx tsx bench/agent-footprint.ts [x64] [arm64] [arm]
 *   (lab up; as root, since the ARM Node is prepared with apt-get: tests/lab/arm-node.sh)
 *
 * Under qemu the RSS is the emulator's process: it includes qemu's translated-code cache on
 * top of what Node itself uses, so it overstates a real Pi's figure; the 60 MB target is judged
 * on the native run, and each column also shows what the agent adds over bare Node.js there.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Duplex } from 'node:stream'
import { DAEMON_NODE_FLAGS } from '../agent/runtime/daemon'
import type { SessionInfo } from '../protocol/schema'
import { Peer } from '../protocol/wire/peer'
import { armNode, armNodeCommand, installAgentLike } from '../tests/lab/support/arm-host'
import { peakRssMb, rssMb, sleep } from './measure'

const IDLE_RSS_TARGET_MB = 60
const IDLE_CPU_WINDOW_S = 20
const LOAD_PHASE_S = Number(process.env.PHASE_S ?? 10)
/** Emulated Node takes seconds to start and to warm up its JIT before it is really idle. */
const SETTLE_S = 5
const SAMPLE_MS = 200
const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

const root = join(import.meta.dirname, '..')
// AGENT_DIR: another build of the agent to compare (its manifest.json and pty/ beside it)
const agentDir = process.env.AGENT_DIR ?? join(root, 'out/agent')
const lab = JSON.parse(readFileSync('/run/berth-lab/lab.json', 'utf8')) as { hosts: { name: string; dockerHost: string }[] }
const dockerHost = lab.hosts.find((h) => h.name === 'h1')!.dockerHost
const docker = (...args: string[]): string =>
  execFileSync('/usr/bin/docker', ['-H', dockerHost, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

const TARGETS = {
  x64: { label: 'x64, native', debianArch: undefined },
  arm64: { label: 'arm64, qemu-user', debianArch: 'arm64' },
  arm: { label: 'armv7, qemu-user', debianArch: 'armhf' },
} as const
type Target = keyof typeof TARGETS

interface Figures {
  version: string
  emulated: boolean
  bareNodeRssMb: number
  idleRssMb: number
  idleCpuPercent: number
  eventsRssMb: number
  events: number
  floodRssMb: number
  floodMbPerS: number
  afterRssMb: number
}

function cpuTicks(pid: number): number {
  // fields after the command name, which is in parentheses and may hold spaces
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12]) // utime + stime
}

/** The highest RSS seen while `work` runs, sampled every SAMPLE_MS. */
const peakRss = async (pid: number, work: () => Promise<void>): Promise<number> => (await peakRssMb(pid, work, SAMPLE_MS)).peak

/** The same Node.js doing nothing: the floor under the agent's figures (qemu's share included). */
async function bareNodeRssMb(target: Target): Promise<number> {
  const debianArch = TARGETS[target].debianArch
  const idle = ['-e', 'setTimeout(() => {}, 3_600_000)']
  const [command, args] = debianArch ? armNodeCommand(armNode(debianArch), ...idle) : [process.execPath, idle]
  const child = spawn(command, args, { stdio: 'ignore' })
  try {
    await sleep(SETTLE_S * 2 * 1000)
    return rssMb(child.pid!)
  } finally {
    child.kill()
  }
}

function startAgent(target: Target, installDir: string): ChildProcess {
  // AGENT_NODE_OPTIONS: Node or V8 flags to try on the agent (say --max-semi-space-size=1)
  const env = { DOCKER_HOST: dockerHost, PATH: '/usr/bin:/bin', HOME: installDir, SHELL: '/bin/sh', NODE_OPTIONS: process.env.AGENT_NODE_OPTIONS ?? '' }
  const agent = join(installDir, 'agent.cjs')
  const debianArch = TARGETS[target].debianArch
  // the flood's shell is this machine's /bin/sh even for ARM: it only makes the bytes, and a
  // native `yes` pushes the emulated agent harder than an emulated one would
  const agentArgs = [...DAEMON_NODE_FLAGS, agent, '--stdio']
  const [command, args] = debianArch ? armNodeCommand(armNode(debianArch), ...agentArgs) : [process.execPath, agentArgs]
  return spawn(command, args, { env, stdio: ['pipe', 'pipe', 'inherit'] })
}

async function measure(target: Target): Promise<Figures> {
  const { dir, version } = installAgentLike(agentDir, target)
  const child = startAgent(target, dir)
  const pid = child.pid!
  const peer = new Peer(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), {
    role: 'client',
    version,
    expectVersion: version,
    helloTimeoutMs: 120_000,
  })
  const slow = { timeoutMs: 120_000 }
  const container = `arm-footprint-${process.pid}`
  try {
    await peer.ready
    // what main asks of a fresh connection
    await peer.request('agent.ping', {}, slow)
    await peer.request('engine.info', {}, slow)
    await peer.request('containers.list', {}, slow)
    await peer.request('events.subscribe', {}, slow)
    await sleep(SETTLE_S * 1000)

    const ticksBefore = cpuTicks(pid)
    const idleRssMb = await peakRss(pid, () => sleep(IDLE_CPU_WINDOW_S * 1000))
    const idleCpuPercent = ((cpuTicks(pid) - ticksBefore) / CLOCK_TICKS_PER_S / IDLE_CPU_WINDOW_S) * 100

    let events = 0
    peer.on('event', (event) => {
      if (event === 'container.stateChanged') events++
    })
    docker('run', '-d', '--network', 'none', '--name', container, 'lab/busybox:1', 'sleep', '100000')
    const eventsRssMb = await peakRss(pid, async () => {
      for (const end = Date.now() + LOAD_PHASE_S * 1000; Date.now() < end; ) {
        docker('pause', container)
        docker('unpause', container)
        await sleep(0) // let the sampler run between CLI calls
      }
    })

    const opened = (await peer.request('session.open', { kind: 'host', cols: 120, rows: 40 }, slow)) as SessionInfo & { streamId: number }
    let bytes = 0
    const stream = peer.acceptStream(opened.streamId, { manualAck: true })
    stream.on('data', (data) => {
      bytes += data.length
      stream.consumed(data.length)
    })
    await peer.request('session.input', { sessionId: opened.sessionId, data: 'yes\r' }, slow)
    const floodStart = Date.now()
    const floodRssMb = await peakRss(pid, () => sleep(LOAD_PHASE_S * 1000))
    const floodMbPerS = bytes / 1e6 / ((Date.now() - floodStart) / 1000)
    await peer.request('session.close', { sessionId: opened.sessionId }, slow)

    await sleep(SETTLE_S * 1000)
    return { version, emulated: TARGETS[target].debianArch !== undefined, bareNodeRssMb: await bareNodeRssMb(target), idleRssMb, idleCpuPercent, eventsRssMb, events, floodRssMb, floodMbPerS, afterRssMb: rssMb(pid) }
  } finally {
    try {
      docker('rm', '-f', container)
    } catch {
      // never created: the run failed before the events phase
    }
    peer.close()
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

function report(results: [Target, Figures][]): void {
  const mb = (n: number) => `${n.toFixed(1)} MB`
  const rows: [string, (f: Figures) => string][] = [
    ['RSS idle (peak over 20 s)', (f) => mb(f.idleRssMb)],
    ['  bare Node.js, same runtime', (f) => mb(f.bareNodeRssMb)],
    ['CPU idle (20 s)', (f) => `${f.idleCpuPercent.toFixed(2)} %`],
    [`RSS streaming events (${LOAD_PHASE_S} s)`, (f) => mb(f.eventsRssMb)],
    ['  container events relayed', (f) => String(f.events)],
    [`RSS terminal flood (${LOAD_PHASE_S} s)`, (f) => mb(f.floodRssMb)],
    ['  flood read', (f) => `${f.floodMbPerS.toFixed(1)} MB/s`],
    ['RSS after, settled', (f) => mb(f.afterRssMb)],
    ['  the agent over bare Node.js', (f) => mb(f.idleRssMb - f.bareNodeRssMb)],
    [`idle target (< ${IDLE_RSS_TARGET_MB} MB)`, (f) => (f.emulated ? 'n/a (qemu)' : f.idleRssMb < IDLE_RSS_TARGET_MB ? 'met' : 'MISSED')],
  ]
  const width = 34
  const col = 20
  const flags = process.env.AGENT_NODE_OPTIONS ? `, NODE_OPTIONS=${process.env.AGENT_NODE_OPTIONS}` : ''
  const versions = [...new Set(results.map(([, f]) => f.version))].join(', ')
  console.log(`\nagent ${versions}, engine ${dockerHost}${flags}`)
  console.log(''.padEnd(width) + results.map(([t]) => TARGETS[t].label.padStart(col)).join(''))
  for (const [name, cell] of rows) console.log(name.padEnd(width) + results.map(([, f]) => cell(f).padStart(col)).join(''))
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a): a is Target => a in TARGETS)
  const targets: Target[] = asked.length > 0 ? asked : ['x64', 'arm64']
  const results: [Target, Figures][] = []
  for (const target of targets) {
    process.stdout.write(`measuring the ${TARGETS[target].label} agent (about ${SETTLE_S * 4 + IDLE_CPU_WINDOW_S + LOAD_PHASE_S * 2} s)…\n`)
    results.push([target, await measure(target)])
  }
  report(results)
  // judged natively only: under qemu the RSS is the emulator's, translated code included
  if (results.some(([, f]) => !f.emulated && f.idleRssMb >= IDLE_RSS_TARGET_MB)) process.exitCode = 1
}

main().catch((err: Error) => {
  console.error(`agent-footprint: ${err.message}`)
  process.exit(1)
})
