/**
 * The agent as a per-user daemon on a unix socket, so terminal sessions outlive a dropped
 * SSH link. Over SSH main runs `agent.cjs --connect`: a bridge that joins its stdio to the
 * daemon's socket, starting the daemon first if none answers. The socket lives in the agent's
 * own 0700 directory and is made 0600: only this user reaches it. Nothing listens on TCP.
 *
 * The daemon exits when it has had no connection and no running terminal for IDLE_EXIT_MS.
 * Nothing is listened on or connected to until ~/.berth, the version folder and the socket
 * are checked to be this user's alone (private-paths.ts).
 */
import { spawn } from 'node:child_process'
import { chmodSync, unlinkSync } from 'node:fs'
import { createConnection, createServer, type Socket } from 'node:net'
import { describePathProblem, socketProblem, UNSAFE_EXIT_CODE } from './private-paths'
import type { AgentRuntime } from './serve'

export const IDLE_EXIT_MS = 60_000
const START_WAIT_MS = 10_000

function log(message: string): void {
  process.stderr.write(`berth-agent: ${message}\n`)
}

function tryConnect(socketPath: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath)
    socket.once('connect', () => resolve(socket))
    socket.once('error', () => resolve(undefined))
  })
}

/** Ends this process, saying why, when the socket or its folders are not this user's alone. */
function refuseUnsafe(socketPath: string): void {
  const problem = socketProblem(socketPath)
  if (!problem) return
  log(`refusing to run: ${describePathProblem(problem)}`)
  process.exit(UNSAFE_EXIT_CODE)
}

export async function runDaemon(socketPath: string, runtime: AgentRuntime): Promise<void> {
  refuseUnsafe(socketPath)
  const existing = await tryConnect(socketPath)
  if (existing) {
    // another daemon of this version already serves this user
    existing.destroy()
    return
  }
  try {
    unlinkSync(socketPath)
  } catch {
    // no stale socket to clear
  }
  let connections = 0
  let idleTimer: NodeJS.Timeout | undefined
  const server = createServer((socket) => {
    connections++
    clearTimeout(idleTimer)
    const peer = runtime.serve(socket)
    peer.on('protocolError', (e) => log(`protocol error: ${e.message}`))
    socket.on('close', () => {
      connections--
      scheduleIdleCheck()
    })
  })
  const scheduleIdleCheck = (): void => {
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => {
      if (connections > 0) return
      if (runtime.sessions.liveCount > 0) return scheduleIdleCheck()
      runtime.sessions.closeAll()
      server.close()
      process.exit(0)
    }, IDLE_EXIT_MS)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // the socket is created private: no moment where another user could connect
    const oldMask = process.umask(0o177)
    server.listen(socketPath, () => {
      process.umask(oldMask)
      resolve()
    })
  })
  chmodSync(socketPath, 0o600)
  scheduleIdleCheck()
}

/**
 * Node flags of the daemon. Young-generation space is kept small: the daemon is long-lived and
 * mostly idle, and on a Pi every megabyte counts (bench/agent-footprint.ts runs with these too).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1']

/** A connection to the daemon, starting it when none answers. */
export async function reachDaemon(socketPath: string, agentFile: string): Promise<Socket | undefined> {
  refuseUnsafe(socketPath)
  let socket = await tryConnect(socketPath)
  if (!socket) {
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, agentFile, '--daemon'], { detached: true, stdio: ['ignore', 'ignore', 'ignore'] })
    child.unref()
    const deadline = Date.now() + START_WAIT_MS
    while (!socket && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      socket = await tryConnect(socketPath)
    }
  }
  return socket
}

/** Starts the daemon if needed and says where it listens; main then opens the socket over SSH. */
export async function ensureDaemon(socketPath: string, agentFile: string): Promise<void> {
  const socket = await reachDaemon(socketPath, agentFile)
  if (!socket) {
    log(`could not start the agent daemon at ${socketPath}`)
    process.exit(1)
  }
  socket.destroy()
  process.stdout.write(`${socketPath}\n`)
}

/** Joins this process's stdio to the daemon: for SSH servers that refuse socket forwarding. */
export async function runBridge(socketPath: string, agentFile: string): Promise<void> {
  const socket = await reachDaemon(socketPath, agentFile)
  if (!socket) {
    log(`could not start or reach the agent daemon at ${socketPath}`)
    process.exit(1)
  }
  const connected = socket
  process.stdin.pipe(connected)
  connected.pipe(process.stdout)
  process.stdin.on('end', () => connected.end())
  connected.on('close', () => process.exit(0))
  connected.on('error', (err) => {
    log(`the agent daemon connection failed: ${err.message}`)
    process.exit(1)
  })
}
