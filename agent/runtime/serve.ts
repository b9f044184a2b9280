/** Serves the agent protocol on byte duplexes (stdio of an SSH channel, a socket, a pipe). */
import type { Duplex } from 'node:stream'
import type Docker from 'dockerode'
import { Peer } from '../../protocol/wire/peer'
import { connectEngine } from '../engine/connect'
import { describeEndpoint, resolveEngineEndpoint } from '../engine/endpoint'
import { EngineEvents } from '../engine/events'
import { createDispatcher, createHandlers } from './handlers'
import { type HostShellFactory, nodePtyShell } from '../terminals/host-shell'
import { SessionTable } from '../terminals/session-table'

export interface AgentRuntime {
  serve(transport: Duplex): Peer
  readonly sessions: SessionTable
}

/**
 * The runtime around any engine connection: the agent's own, or main's in agentless mode
 * (which brings its own host shell, over SSH, since node-pty here would be this computer's).
 */
export function runtimeFor(docker: Docker, endpoint: string, version: string, hostShell?: HostShellFactory, onHost = false): AgentRuntime {
  const events = new EngineEvents(docker)
  const sessions = new SessionTable(docker, hostShell)
  const dispatch = createDispatcher(createHandlers({ docker, events, endpoint, version, sessions, onHost }), endpoint)
  return {
    sessions,
    serve: (transport) => new Peer(transport, { role: 'agent', version, handler: dispatch }),
  }
}

export function createAgentRuntime(version: string, env: NodeJS.ProcessEnv = process.env): AgentRuntime {
  const endpoint = resolveEngineEndpoint(env)
  return runtimeFor(connectEngine(endpoint), describeEndpoint(endpoint), version, nodePtyShell, true)
}
