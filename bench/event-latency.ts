/**
 * How long after the engine emits a container event Berth's core has it, beside the docker
 * CLI's own `docker events` on the same engine (the baseline: the fastest anyone sees it).
 *
 *   npx tsx bench/event-latency.ts            # this computer's engine (DOCKER_HOST or the default socket)
 *   npx tsx bench/event-latency.ts --lab h1   # a lab host over real SSH (lab must be up: tests/lab/up.sh)
 *
 * Each round pauses then unpauses one container; latency is receive time minus the engine's
 * own event timestamp (same clock: the engine runs on this machine).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { BerthCore } from '../main/core/core'
import type { ContainerChange } from '../protocol/schema'
import { percentile } from './measure'

const ROUNDS = Number(process.env.ROUNDS ?? 30)
const labIndex = process.argv.indexOf('--lab')
const labName = labIndex > 0 ? process.argv[labIndex + 1] : undefined
const root = join(import.meta.dirname, '..')

async function setup(): Promise<{ core: BerthCore; hostId: string; dockerHost: string; label: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'))
  const agentDir = join(root, 'out/agent')
  if (!labName) {
    const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
    const core = new BerthCore({ dataDir, agentDir, autoConnect: false, env: { ...process.env, DOCKER_HOST: dockerHost } })
    await core.start()
    const r = await core.invoke('hosts.connect', { hostId: 'local' })
    if (!r.ok) throw new Error(r.error.message)
    return { core, hostId: 'local', dockerHost, label: `this computer (${hostname()}), local agent` }
  }
  const lab = JSON.parse(execFileSync('cat', ['/run/berth-lab/lab.json'], { encoding: 'utf8' }))
  const h = lab.hosts.find((x: { name: string }) => x.name === labName)
  const core = new BerthCore({ dataDir, agentDir, autoConnect: false, homeDir: dataDir, env: { DOCKER_HOST: 'unix:///none' } })
  await core.start()
  const added = await core.invoke('hosts.add', { name: h.name, address: h.address, port: 22, user: h.user, identityFile: lab.identityFile })
  if (!added.ok) throw new Error(added.error.message)
  const hostId = (added.result as { id: string }).id
  await core.invoke('hosts.connect', { hostId })
  const r = await core.invoke('hosts.trustKey', { hostId, fingerprint: h.hostKeyFingerprint })
  if (!r.ok) throw new Error(r.error.message)
  return { core, hostId, dockerHost: h.dockerHost, label: `lab host ${h.name} over SSH` }
}


async function main(): Promise<void> {
  const { core, dockerHost, label } = await setup()
  const docker = (...args: string[]) => execFileSync('/usr/bin/docker', ['-H', dockerHost, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  const name = `bench-latency-${process.pid}`
  const image = docker('images', '--format', '{{.Repository}}:{{.Tag}}').split('\n').find((i) => i.includes('busybox'))
  if (!image) throw new Error('no busybox image on the engine: run the lab or import one')
  const id = docker('run', '-d', '--network', 'none', '--name', name, image, 'sleep', '100000')

  const engineTimes = new Map<string, number>() // action#round -> engine ms
  const cliTimes = new Map<string, number>()
  const coreTimes = new Map<string, number>()
  let round = 0
  const cli: ChildProcess = spawn('/usr/bin/docker', ['-H', dockerHost, 'events', '--filter', `container=${id}`, '--format', '{{json .}}'])
  let rest = ''
  cli.stdout!.on('data', (d: Buffer) => {
    const now = Date.now()
    const lines = (rest + d.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      const e = JSON.parse(line) as { Action: string; timeNano: number }
      if (e.Action !== 'pause' && e.Action !== 'unpause') continue
      engineTimes.set(`${e.Action}#${round}`, e.timeNano / 1e6)
      cliTimes.set(`${e.Action}#${round}`, now)
    }
  })
  core.onEvent((event, payload) => {
    const change = payload as ContainerChange
    if (event === 'container.stateChanged' && change.id === id && (change.action === 'pause' || change.action === 'unpause')) {
      coreTimes.set(`${change.action}#${round}`, Date.now())
    }
  })
  await new Promise((r) => setTimeout(r, 500))
  const waitFor = async (key: string) => {
    for (let i = 0; i < 500 && !(coreTimes.has(key) && cliTimes.has(key)); i++) await new Promise((r) => setTimeout(r, 5))
  }
  for (round = 0; round < ROUNDS; round++) {
    docker('pause', name)
    await waitFor(`pause#${round}`)
    docker('unpause', name)
    await waitFor(`unpause#${round}`)
  }
  cli.kill()
  docker('rm', '-f', name)
  await core.close()

  const berth: number[] = []
  const baseline: number[] = []
  for (const [key, t0] of engineTimes) {
    if (coreTimes.has(key)) berth.push(coreTimes.get(key)! - t0)
    if (cliTimes.has(key)) baseline.push(cliTimes.get(key)! - t0)
  }
  const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms (n=${xs.length})`
  console.log(`event latency, engine event -> receiver, ${label}`)
  console.log(`  docker events (baseline): ${fmt(baseline)}`)
  console.log(`  Berth core:               ${fmt(berth)}`)
  console.log(`  ratio Berth/baseline:     p50 ${(percentile(berth, 50) / percentile(baseline, 50)).toFixed(2)}x, p95 ${(percentile(berth, 95) / percentile(baseline, 95)).toFixed(2)}x`)
  console.log(`  target: the window follows a docker stop within 1000 ms; Berth p95 is ${percentile(berth, 95) < 1000 ? 'within' : 'OVER'} it`)
  process.exit(0)
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
