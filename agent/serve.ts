/** Serves the agent protocol on one byte duplex (stdio of an SSH channel, a socket, a pipe). */
import type { Duplex } from 'node:stream'
import type Docker from 'dockerode'
import { Peer } from '../protocol/wire/peer'
import { connectEngine } from './engine'
import { describeEndpoint, resolveEngineEndpoint } from './engine-endpoint'
import { EngineEvents } from './engine-events'
import { createDispatcher, createHandlers } from './handlers/index'

export interface AgentRuntime {
  serve(transport: Duplex): Peer
}

/** The runtime around any engine connection: the agent's own, or main's in agentless mode. */
export function runtimeFor(docker: Docker, endpoint: string, version: string): AgentRuntime {
  const events = new EngineEvents(docker)
  const dispatch = createDispatcher(createHandlers({ docker, events, endpoint, version }), endpoint)
  return {
    serve: (transport) => new Peer(transport, { role: 'agent', version, handler: dispatch }),
  }
}

export function createAgentRuntime(version: string, env: NodeJS.ProcessEnv = process.env): AgentRuntime {
  const endpoint = resolveEngineEndpoint(env)
  return runtimeFor(connectEngine(endpoint), describeEndpoint(endpoint), version)
}
