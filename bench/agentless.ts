/**
 * A warm container list in agentless mode beside the same list through the agent, on one lab
 * host: its login user runs the agent, its bare user (no Node.js) runs agentless, where each
 * engine request is HTTP over `docker system dial-stdio` on an SSH exec channel (issue #17).
 * Target: agentless within 3x of the agent (p50).
 *
 *   npm run bench:agentless [-- --lab h1]     (lab up: tests/lab/up.sh)
 *
 * Berth is timed at the core's API (what the window's transport relays).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BerthCore } from '../main/core/core'
import { invoke, startBenchCore } from './bench-core'
import { percentile, timed } from './measure'

const LIST_ROUNDS = Number(process.env.LIST_ROUNDS ?? 100)
const WARMUP_ROUNDS = 5
const TARGET_RATIO = 3

const labAt = process.argv.indexOf('--lab')
const labName = (labAt > 0 ? process.argv[labAt + 1] : undefined) ?? 'h1'
const lab = JSON.parse(readFileSync('/run/berth-lab/lab.json', 'utf8'))
const host = lab.hosts.find((x: { name: string }) => x.name === labName)
if (!host) throw new Error(`the lab has no host ${labName}`)

/** Connects as `user` and times warm lists; says which mode the host ended up in. */
async function warmLists(core: BerthCore, user: string): Promise<{ mode: string; times: number[] }> {
  const added = (await invoke(core, 'hosts.add', { name: `${host.name}-${user}`, address: host.address, port: host.port, user, identityFile: lab.identityFile })) as { id: string }
  const view = (await invoke(core, 'hosts.connect', { hostId: added.id })) as { mode: string }
  const list = () => invoke(core, 'containers.list', { hostId: added.id })
  for (let i = 0; i < WARMUP_ROUNDS; i++) await list()
  const times: number[] = []
  for (let i = 0; i < LIST_ROUNDS; i++) times.push(await timed(list))
  return { mode: view.mode, times }
}

const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10)

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'berth-bench-agentless-'))
  mkdirSync(join(home, '.ssh'), { mode: 0o700 })
  writeFileSync(join(home, '.ssh/known_hosts'), `${host.address} ${host.hostKeyPublic}\n`)
  const bench = await startBenchCore(home)
  const core = bench.core
  try {
    const agent = await warmLists(core, host.user)
    const agentless = await warmLists(core, host.bareUser)
    if (agent.mode !== 'agent' || agentless.mode !== 'agentless') throw new Error(`expected agent and agentless, got ${agent.mode} and ${agentless.mode}`)
    console.log(`\nwarm containers.list on lab host ${host.name}; p50 / p95`)
    const row = (name: string, xs: number[]) => console.log(`  ${name.padEnd(44)}${ms(percentile(xs, 50))}${ms(percentile(xs, 95))}   n=${xs.length}`)
    row(`agent (${host.user})`, agent.times)
    row(`agentless, dial-stdio (${host.bareUser})`, agentless.times)
    const ratio = percentile(agentless.times, 50) / percentile(agent.times, 50)
    console.log(`  agentless / agent: ${ratio.toFixed(2)}x (p50; target at most ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`)
    if (ratio > TARGET_RATIO) process.exitCode = 1
  } finally {
    await bench.close()
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
