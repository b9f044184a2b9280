/**
 * A login shell on the host itself, in a PTY from node-pty (a native addon shipped beside the
 * agent for the host's CPU). Where node-pty cannot load (a CPU Berth has no build for), the
 * error says so rather than failing obscurely.
 */
import { homedir, userInfo } from 'node:os'
import { BerthError } from '../../protocol/errors'
import { type SourceInfo, type SourceOutcome, TerminalSource } from './source'

type Pty = import('node-pty').IPty

/** Opens a host shell of the given size; main's agentless mode provides one over SSH instead. */
export type HostShellFactory = (size: { cols: number; rows: number }) => Promise<TerminalSource>

function loadPty(): typeof import('node-pty') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node-pty') as typeof import('node-pty')
  } catch (err) {
    throw new BerthError(
      'UNSUPPORTED',
      `host shells need node-pty, which Berth has no build of for ${process.platform}-${process.arch}: ${(err as Error).message.split('\n')[0]}`,
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

  write(data: string): void {
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
