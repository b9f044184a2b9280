/**
 * A login shell on the host itself, in a PTY from node-pty (a native addon shipped beside the
 * agent for the host's CPU). Where node-pty cannot load (a CPU Berth has no build for), the
 * error says so in Docker's platform names, and that the rest of the agent still works.
 */
import { existsSync } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { BerthError } from '../../protocol/errors'
import { nodePlatform } from '../../protocol/platform'
import { type SourceInfo, type SourceOutcome, TerminalSource } from './source'

type Pty = import('node-pty').IPty

/** Opens a host shell of the given size; main's agentless mode provides one over SSH instead. */
export type HostShellFactory = (size: { cols: number; rows: number }) => Promise<TerminalSource>

/** Why a host shell cannot open here, and what still works: the agent runs fine without node-pty. */
export function hostShellUnavailableMessage(platform: string, addonInstalled: boolean, loadError: string): string {
  const stillWorks = 'Terminals in containers (exec and attach) and everything else still work.'
  if (!addonInstalled) {
    return `host shells are not available on this host: Berth has no build of node-pty, the terminal library they need, for its CPU (${platform}). ${stillWorks}`
  }
  return `host shells are not available on this host: node-pty's build for its CPU (${platform}) did not load: ${loadError}. ${stillWorks}`
}

/** The loader's own reason (an older glibc, say): node-pty's message names only its last guess. */
function dlopenError(file: string): string | undefined {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, file)
    return undefined
  } catch (err) {
    return (err as Error).message.split('\n')[0]
  }
}

function loadPty(): typeof import('node-pty') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node-pty') as typeof import('node-pty')
  } catch (err) {
    // the installer puts the host CPU's addon here, beside the bundle, when Berth has one
    const addon = join(__dirname, 'build/Release/pty.node')
    const addonInstalled = existsSync(addon)
    const armVersion = (process.config.variables as { arm_version?: string }).arm_version
    const reason = addonInstalled ? dlopenError(addon) : undefined
    throw new BerthError(
      'UNSUPPORTED',
      hostShellUnavailableMessage(nodePlatform(process.arch, armVersion), addonInstalled, reason ?? (err as Error).message.split('\n')[0]!),
    )
  }
}

class PtySource extends TerminalSource {
  readonly info: SourceInfo

  constructor(private readonly pty: Pty, shell: string) {
    super()
    const user = userInfo().username
    this.info = { title: `${user}: ${shell}`, command: [shell, '-l'], tty: true }
    pty.onData((data) => this.output(typeof data === 'string' ? Buffer.from(data, 'utf8') : (data as Buffer)))
    pty.onExit(({ exitCode, signal }) => {
      const outcome: SourceOutcome = { state: 'exited', exitCode }
      if (signal) outcome.message = `ended by signal ${signal}`
      this.finish(outcome)
    })
  }

  write(data: string | Buffer): void {
    this.pty.write(data)
  }

  async resize(cols: number, rows: number): Promise<void> {
    this.pty.resize(cols, rows)
  }

  pause(): void {
    this.pty.pause()
  }

  resume(): void {
    this.pty.resume()
  }

  close(): void {
    this.pty.kill('SIGHUP')
  }
}

export const nodePtyShell: HostShellFactory = async ({ cols, rows }) => {
  const pty = loadPty()
  const shell = process.env.SHELL || userInfo().shell || '/bin/sh'
  const env = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor' } as Record<string, string>
  const child = pty.spawn(shell, ['-l'], { name: 'xterm-256color', cols, rows, cwd: homedir(), env, encoding: null })
  return new PtySource(child, shell)
}
