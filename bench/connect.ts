/**
 * Connecting, beside what a user would otherwise type (issue #3, point 10), on one lab host:
 * - pressing Connect until the first container list arrives, with the agent installed for the
 *   first time and with a warm agent (installed, its daemon running), beside `ssh host docker ps`;
 * - one `containers.list` on a warm connection, beside `docker -H ssh://host ps`, which pays for
 *   a new SSH connection (and `docker system dial-stdio` on the host) on every command.
 *   Target: the warm list at least 20 times faster.
 *
 *   npm run bench:connect [-- --lab h1]     (lab up: tests/lab/up.sh; as root, since a first
 *   install is made by deleting the agent's folder in the lab user's home)
 *
 * Berth is timed at the core's API (what the window's transport relays). Deleting the agent's
 * folder does not stop a daemon already running from it: later connections start a new one.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { invoke, startBenchCore } from './bench-core'
import { percentile, timed } from './measure'

const FIRST_INSTALL_ROUNDS = Number(process.env.FIRST_ROUNDS ?? 3)
const CONNECT_ROUNDS = Number(process.env.CONNECT_ROUNDS ?? 10)
const LIST_ROUNDS = Number(process.env.LIST_ROUNDS ?? 50)
const CLI_ROUNDS = Number(process.env.CLI_ROUNDS ?? 10)
const WARM_LIST_TARGET = 20

const labAt = process.argv.indexOf('--lab')
const labName = (labAt > 0 ? process.argv[labAt + 1] : undefined) ?? 'h1'
const lab = JSON.parse(readFileSync('/run/berth-lab/lab.json', 'utf8'))
const host = lab.hosts.find((x: { name: string }) => x.name === labName)
if (!host) throw new Error(`the lab has no host ${labName}`)
const run = promisify(execFile)

// One home for the CLI baselines and Berth alike: the lab's key and the host's key, nothing else
// (no ssh-agent, no user config), so every client authenticates the same way. ssh finds its
// files from the user's passwd entry, not $HOME: the config names them, and ssh gets -F.
const home = mkdtempSync(join(tmpdir(), 'berth-bench-connect-'))
mkdirSync(join(home, '.ssh'), { mode: 0o700 })
writeFileSync(join(home, '.ssh/known_hosts'), `${host.address} ${host.hostKeyPublic}\n`)
writeFileSync(
  join(home, '.ssh/config'),
  `Host ${host.address}\n  User ${host.user}\n  IdentityFile ${lab.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${join(home, '.ssh/known_hosts')}\n  ControlMaster no\n  ControlPath none\n`,
  { mode: 0o600 },
)
// the docker CLI runs `ssh` itself and has no way to pass -F: a wrapper first on PATH adds it
mkdirSync(join(home, 'bin'))
writeFileSync(join(home, 'bin/ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(home, '.ssh/config')} "$@"\n`, { mode: 0o755 })
const cliEnv = { PATH: `${join(home, 'bin')}:${process.env.PATH}`, HOME: home }

async function rounds(n: number, work: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    await before?.()
    times.push(await timed(work))
  }
  return times
}

function removeInstalledAgent(): void {
  rmSync(`/home/${host.user}/.berth/agent`, { recursive: true, force: true })
}

const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10)

async function main(): Promise<void> {
  const bench = await startBenchCore(home)
  const core = bench.core
  const added = (await invoke(core, 'hosts.add', { name: host.name, address: host.address, port: host.port, user: host.user, identityFile: lab.identityFile })) as { id: string }
  const hostId = added.id
  const connectAndList = async () => {
    await invoke(core, 'hosts.connect', { hostId })
    await invoke(core, 'containers.list', { hostId })
  }
  const disconnect = () => invoke(core, 'hosts.disconnect', { hostId })
  const sshPs = () => run('ssh', [host.address, 'docker ps'], { env: cliEnv })
  const cliPs = () => run('docker', ['-H', `ssh://${host.user}@${host.address}`, 'ps'], { env: cliEnv })

  try {
    process.stdout.write(`lab host ${host.name}: first installs…\n`)
    const first = await rounds(FIRST_INSTALL_ROUNDS, connectAndList, async () => {
      await disconnect()
      removeInstalledAgent()
    })
    process.stdout.write('warm connects…\n')
    await disconnect()
    await connectAndList() // the agent installed and its daemon up before the warm rounds
    const warm = await rounds(CONNECT_ROUNDS, connectAndList, disconnect)
    const sshTimes = await rounds(CONNECT_ROUNDS, sshPs)
    process.stdout.write('lists on a warm connection…\n')
    await connectAndList()
    const lists = await rounds(LIST_ROUNDS, () => invoke(core, 'containers.list', { hostId }))
    const cliTimes = await rounds(CLI_ROUNDS, cliPs)
    const count = ((await invoke(core, 'containers.list', { hostId })) as unknown[]).length

    console.log(`\nconnecting to lab host ${host.name} (${host.user}@${host.address}), ${count} containers; p50 / p95`)
    const row = (name: string, xs: number[]) => console.log(`  ${name.padEnd(52)}${ms(percentile(xs, 50))}${ms(percentile(xs, 95))}   n=${xs.length}`)
    row('Berth: Connect -> first list, first install', first)
    row('Berth: Connect -> first list, warm agent', warm)
    row('ssh host docker ps (new connection each)', sshTimes)
    console.log(`  ratio warm connect / ssh docker ps: ${(percentile(warm, 50) / percentile(sshTimes, 50)).toFixed(2)}x (p50)`)
    row('Berth: containers.list on a warm connection', lists)
    row('docker -H ssh://host ps', cliTimes)
    const speedup = percentile(cliTimes, 50) / percentile(lists, 50)
    console.log(`  warm list is ${speedup.toFixed(0)}x faster than docker -H ssh:// (p50; target at least ${WARM_LIST_TARGET}x: ${speedup >= WARM_LIST_TARGET ? 'met' : 'NOT met'})`)
    if (speedup < WARM_LIST_TARGET) process.exitCode = 1
  } finally {
    await bench.close()
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
