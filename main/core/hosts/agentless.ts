/**
 * Agentless mode, for hosts where the agent cannot run (no Node.js 18+, or the install
 * failed): the agent's own method table runs here in the core, and its engine connection is
 * HTTP over `docker system dial-stdio` on SSH exec channels, as docker's own ssh:// support
 * does; host shells use the SSH server's own PTY. The rest of Berth sees the same protocol over
 * an in-memory pipe, so every screen works the same.
 */
import { Agent } from 'node:http'
import type { Duplex } from 'node:stream'
import Docker from 'dockerode'
import { memoryPipe } from '../../../protocol/wire/memory-pipe'
import { runtimeFor } from '../../../agent/runtime/serve'
import type { SshConnection } from '../ssh/connection'
import { sshShell } from '../ssh/shell'

/**
 * Idle engine connections kept open for the next request. Opening one costs an SSH round trip
 * and a docker CLI start on the host (~60 ms, against ~2.5 ms for a whole list through the
 * agent), so HTTP keep-alive reuses them. The number of connections in use is not capped: a
 * long stream (events, logs, stats) holds its own, and must never make a list wait behind it.
 */
export const IDLE_ENGINE_CHANNELS = 2

/**
 * An HTTP agent whose connections are `docker system dial-stdio` exec channels. A channel that
 * ends (its docker process exited, the link dropped) leaves the pool by itself, and the next
 * request opens a new one.
 */
export class DialStdioAgent extends Agent {
  constructor(private readonly ssh: Pick<SshConnection, 'execChannel'>) {
    super({ keepAlive: true, maxFreeSockets: IDLE_ENGINE_CHANNELS })
  }

  override createConnection(_options: unknown, done: (err: Error | null, stream?: Duplex) => void): undefined {
    this.ssh.execChannel('docker system dial-stdio').then(
      (channel) => done(null, keptAlive(channel)),
      (err: Error) => done(err),
    )
    return undefined
  }
}

/**
 * What Node's HTTP agent calls on a socket it keeps alive (TCP keepalive, ref counts, an idle
 * timer), as no-ops: an SSH channel has no TCP socket of its own, and the SSH connection under
 * it has its own keepalives. Its stderr is read and dropped, as it shares the channel's window.
 */
function keptAlive<T extends Duplex & { stderr?: NodeJS.ReadableStream }>(channel: T): T {
  const self = (): T => channel
  channel.stderr?.resume()
  return Object.assign(channel, { setKeepAlive: self, ref: self, unref: self, setTimeout: self })
}

export function startAgentless(ssh: SshConnection, version: string): { transport: Duplex; stderr: () => string } {
  const docker = new Docker({ protocol: 'http', host: 'engine.invalid', port: 80, agent: new DialStdioAgent(ssh) } as Docker.DockerOptions)
  const [agentSide, mainSide] = memoryPipe()
  runtimeFor(docker, `docker system dial-stdio on ${ssh.target.address}`, version, sshShell(ssh)).serve(agentSide)
  return { transport: mainSide, stderr: () => '' }
}
