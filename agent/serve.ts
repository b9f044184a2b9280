/** Serves the agent protocol on byte duplexes (stdio of an SSH channel, a socket, a pipe). */
import type { Duplex } from 'node:stream'
import type Docker from 'dockerode'
import { Peer } from '../protocol/wire/peer'
import { connectEngine } from './engine'
import { describeEndpoint, resolveEngineEndpoint } from './engine-endpoint'
import { EngineEvents } from './engine-events'
import { createDispatcher, createHandlers } from './handlers/index'
import { type HostShellFactory, nodePtyShell } from './sessions/host-shell'
import { SessionRegistry } from './sessions/registry'

export interface AgentRuntime {
  serve(transport: Duplex): Peer
  readonly sessions: SessionRegistry
}

/**
 * The runtime around any engine connection: the agent's own, or main's in agentless mode
 * (which brings its own host shell, over SSH, since node-pty here would be this computer's).
 */
export function runtimeFor(docker: Docker, endpoint: string, version: string, hostShell?: HostShellFactory, onHost = false): AgentRuntime {
  const events = new EngineEvents(docker)
  const sessions = new SessionRegistry(docker, hostShell)
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
