/**
 * Agentless mode's host shell: the SSH server's own PTY on the connection Berth already has,
 * behind the same interface as the agent's node-pty shells.
 */
import type { ClientChannel } from 'ssh2'
import type { HostShellFactory } from '../../../agent/terminals/host-shell'
import { type SourceInfo, TerminalSource } from '../../../agent/terminals/source'
import type { SshConnection } from './connection'

class SshShellSource extends TerminalSource {
  readonly info: SourceInfo
  private ended = false

  constructor(
    private readonly channel: ClientChannel,
    user: string,
  ) {
    super()
    this.info = { title: `${user}: login shell (SSH)`, command: ['login shell'], tty: true }
    let exitCode: number | null = null
    let signal: string | undefined
    channel.on('data', (chunk: Buffer) => this.output(chunk))
    channel.stderr.on('data', (chunk: Buffer) => this.output(chunk))
    channel.on('exit', (code: number | null, sig?: string) => {
      exitCode = code
      signal = sig
    })
    channel.on('close', () => {
      if (this.ended) return
      this.ended = true
      this.finish({ state: 'exited', exitCode, ...(signal ? { message: `ended by signal ${signal}` } : {}) })
    })
  }

  write(data: string): void {
    this.channel.write(data)
  }

  async resize(cols: number, rows: number): Promise<void> {
    this.channel.setWindow(rows, cols, 0, 0)
  }

  pause(): void {
    this.channel.pause()
  }

  resume(): void {
    this.channel.resume()
  }

  close(): void {
    this.channel.close()
  }
}

export function sshShell(ssh: SshConnection): HostShellFactory {
  return async ({ cols, rows }) => new SshShellSource(await ssh.shell(cols, rows), ssh.target.user)
}
