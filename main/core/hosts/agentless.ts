/**
 * Agentless mode, for hosts where the agent cannot run (no Node.js 18+, or the install
 * failed): the agent's own method table runs here in the core, and its engine connection is
 * `docker system dial-stdio` on an SSH exec channel, one channel per HTTP connection, as
 * docker's own ssh:// support does; host shells use the SSH server's own PTY. The rest of Berth sees the same protocol over an
 * in-memory pipe, so every screen works the same.
 */
import { Agent } from 'node:http'
import type { Duplex } from 'node:stream'
import Docker from 'dockerode'
import { memoryPipe } from '../../../protocol/wire/memory-pipe'
import { runtimeFor } from '../../../agent/runtime/serve'
import type { SshConnection } from '../ssh/connection'
import { sshShell } from '../ssh/shell'

class DialStdioAgent extends Agent {
  constructor(private readonly ssh: SshConnection) {
    super({ keepAlive: false })
  }

  override createConnection(_options: unknown, done: (err: Error | null, stream?: Duplex) => void): undefined {
    this.ssh.execChannel('docker system dial-stdio').then(
      (channel) => done(null, channel),
      (err: Error) => done(err),
    )
    return undefined
  }
}

export function startAgentless(ssh: SshConnection, version: string): { transport: Duplex; stderr: () => string } {
  const docker = new Docker({ protocol: 'http', host: 'engine.invalid', port: 80, agent: new DialStdioAgent(ssh) } as Docker.DockerOptions)
  const [agentSide, mainSide] = memoryPipe()
  runtimeFor(docker, `docker system dial-stdio on ${ssh.target.address}`, version, sshShell(ssh)).serve(agentSide)
  return { transport: mainSide, stderr: () => '' }
}
