/**
 * The Berth agent: a small Node program that runs on each host as the connecting user and
 * drives the host's engine through its API socket. It opens no TCP port. Logs go to stderr
 * only: stdout carries protocol frames.
 *
 *   --stdio    serve the protocol on stdin/stdout (the local host's child process)
 *   --ensure-daemon  start this user's agent daemon if it is not running, print its socket (SSH:
 *                    main then opens the socket through the SSH connection itself)
 *   --connect  bridge stdin/stdout to the daemon, for SSH servers that refuse socket forwarding
 *   --daemon   the daemon itself, on a unix socket beside this file
 */
import { dirname, join } from 'node:path'
import { Duplex } from 'node:stream'
import { ensureDaemon, runBridge, runDaemon } from './daemon'
import { createAgentRuntime } from './serve'

declare const __BERTH_AGENT_VERSION__: string
const version = typeof __BERTH_AGENT_VERSION__ === 'string' ? __BERTH_AGENT_VERSION__ : 'dev'

/** The daemon's socket: in the per-version install directory, which is 0700. */
export function daemonSocketPath(agentFile: string): string {
  return join(dirname(agentFile), 'agent.sock')
}

function serveStdio(): void {
  const runtime = createAgentRuntime(version)
  const transport = Duplex.from({ readable: process.stdin, writable: process.stdout })
  const peer = runtime.serve(transport)
  // the link is the agent's life in stdio mode: when main goes away, so does the agent
  peer.on('close', () => process.exit(0))
  process.stdin.on('end', () => process.exit(0))
  peer.on('protocolError', (e) => process.stderr.write(`berth-agent: protocol error: ${e.message}\n`))
}

function main(argv: string[]): void {
  if (argv.includes('--version')) {
    process.stdout.write(`${version}\n`)
    return
  }
  const agentFile = process.argv[1] ?? __filename
  if (argv.includes('--daemon')) {
    // detached from any SSH session: a hung-up terminal must not take the daemon with it
    process.on('SIGHUP', () => {})
    // one bad request must not end every terminal this daemon holds
    process.on('uncaughtException', (err) => process.stderr.write(`berth-agent: ${err.stack ?? err.message}\n`))
    runDaemon(daemonSocketPath(agentFile), createAgentRuntime(version)).catch((err: Error) => {
      process.stderr.write(`berth-agent: daemon failed: ${err.message}\n`)
      process.exit(1)
    })
  } else if (argv.includes('--ensure-daemon')) {
    void ensureDaemon(daemonSocketPath(agentFile), agentFile)
  } else if (argv.includes('--connect')) {
    void runBridge(daemonSocketPath(agentFile), agentFile)
  } else {
    serveStdio()
  }
}

main(process.argv.slice(2))
