/**
 * The Berth agent: a small Node program that runs on each host as the connecting user.
 * It speaks the Berth protocol on its stdin/stdout (an SSH exec channel, or a pipe to a
 * local child process) and drives the host's engine through its API socket. It opens no
 * TCP port. Logs go to stderr only: stdout carries protocol frames.
 */
import { Duplex } from 'node:stream'
import { createAgentRuntime } from './serve'

declare const __BERTH_AGENT_VERSION__: string
const version = typeof __BERTH_AGENT_VERSION__ === 'string' ? __BERTH_AGENT_VERSION__ : 'dev'

function main(argv: string[]): void {
  if (argv.includes('--version')) {
    process.stdout.write(`${version}\n`)
    return
  }
  const runtime = createAgentRuntime(version)
  const transport = Duplex.from({ readable: process.stdin, writable: process.stdout })
  const peer = runtime.serve(transport)
  // the link is the agent's life in stdio mode: when main goes away, so does the agent
  peer.on('close', () => process.exit(0))
  process.stdin.on('end', () => process.exit(0))
  peer.on('protocolError', (e) => process.stderr.write(`berth-agent: protocol error: ${e.message}\n`))
}

main(process.argv.slice(2))
