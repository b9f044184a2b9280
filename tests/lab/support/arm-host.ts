/**
 * An ARM "host" on this x86 machine, for the agent's smoke test and footprint bench: Debian's
 * ARM Node.js under qemu-user (tests/lab/arm-node.sh), the agent installed exactly as the
 * installer lays it out on a host, and an ARM login shell for its host shells.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type DebianArch = 'arm64' | 'armhf'

export interface ArmNode {
  qemu: string
  /** Debian's packages unpacked: qemu's -L root. */
  root: string
  libraryPath: string
}

/** qemu-user and an unpacked Debian Node.js of that CPU (prepared once, then reused). */
export function armNode(debianArch: DebianArch): ArmNode {
  const out = execFileSync('bash', [join(import.meta.dirname, '../arm-node.sh'), debianArch], { encoding: 'utf8' })
  const [qemu, root, libraryPath] = out.trim().split('\n').at(-1)!.split(' ')
  return { qemu: qemu!, root: root!, libraryPath: libraryPath! }
}

/** The command line that runs a Node.js program on that ARM Node. */
export function armNodeCommand(node: ArmNode, ...args: string[]): [string, string[]] {
  return [node.qemu, ['-L', node.root, '-E', `LD_LIBRARY_PATH=${node.libraryPath}`, `${node.root}/usr/bin/node`, ...args]]
}

interface Manifest {
  version: string
  sha256: string
  file: string
  pty: Record<string, { file: string; sha256: string }>
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

/**
 * The agent as main/core/hosts/agent-installer.ts leaves it on a host of that CPU: agent.cjs, and
 * node-pty's addon for the CPU at build/Release/pty.node beside it. Checked against the
 * manifest's sha256s as the installer checks them (which also catches a build that changed
 * out/agent meanwhile). `version` is the one the agent will say hello with. The caller removes `dir`.
 */
export function installAgentLike(agentDir: string, nodeArch: string): { dir: string; agent: string; version: string } {
  const manifest = JSON.parse(readFileSync(join(agentDir, 'manifest.json'), 'utf8')) as Manifest
  const pty = manifest.pty[nodeArch]
  if (!pty) throw new Error(`the agent bundle has no node-pty for linux-${nodeArch}: run npm run build with the cross compilers installed`)
  const dir = mkdtempSync(join(tmpdir(), `berth-arm-agent-${nodeArch}-`))
  const items = [
    { from: join(agentDir, manifest.file), to: join(dir, 'agent.cjs'), sha256: manifest.sha256 },
    { from: join(agentDir, pty.file), to: join(dir, 'build/Release/pty.node'), sha256: pty.sha256 },
  ]
  for (const item of items) {
    mkdirSync(join(item.to, '..'), { recursive: true })
    copyFileSync(item.from, item.to)
    if (sha256(item.to) !== item.sha256) throw new Error(`${item.to} does not match the manifest's sha256`)
  }
  return { dir, agent: join(dir, 'agent.cjs'), version: manifest.version }
}

const QEMU: Record<DebianArch, string> = { arm64: '/usr/bin/qemu-aarch64-static', armhf: '/usr/bin/qemu-arm-static' }

/** Debian's static busybox for that CPU (downloaded once into the lab's cache). */
function armBusybox(debianArch: DebianArch): string {
  const cached = `/var/cache/berth-lab/busybox-${debianArch}/busybox`
  if (existsSync(cached)) return cached
  const work = mkdtempSync(join(tmpdir(), 'berth-arm-busybox-'))
  try {
    chmodSync(work, 0o755) // apt-get download drops to the _apt user, which must reach it
    // arm-node.sh has already added the architecture and fetched its package lists
    execFileSync('apt-get', ['download', '-qq', `busybox-static:${debianArch}`], { cwd: work, stdio: 'ignore' })
    const deb = execFileSync('sh', ['-c', 'ls *.deb'], { cwd: work, encoding: 'utf8' }).trim()
    execFileSync('dpkg', ['-x', deb, 'root'], { cwd: work })
    mkdirSync(join(cached, '..'), { recursive: true })
    copyFileSync(join(work, 'root/bin/busybox'), `${cached}.partial`)
    renameSync(`${cached}.partial`, cached)
    return cached
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * A login shell of that CPU, for $SHELL. qemu-user hands a child's execve to the kernel, which
 * without binfmt_misc (not mounted here) would run this machine's x86 shell: so the shell is
 * a native script that starts the ARM busybox under qemu, and `uname -m` in it answers as the
 * Pi's would. busybox runs its applets in-process, so nothing else in it needs emulating.
 */
export function armShell(debianArch: DebianArch, dir: string): string {
  const shell = join(dir, 'arm-sh')
  writeFileSync(shell, `#!/bin/sh\nexec ${QEMU[debianArch]} ${armBusybox(debianArch)} sh "$@"\n`, { mode: 0o755 })
  return shell
}
