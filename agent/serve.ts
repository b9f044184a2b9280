/** Serves the agent protocol on one byte duplex (stdio of an SSH channel, a socket, a pipe). */
import type { Duplex } from 'node:stream'
import { Peer } from '../protocol/wire/peer'
import { connectEngine } from './engine'
import { describeEndpoint, resolveEngineEndpoint } from './engine-endpoint'
import { EngineEvents } from './engine-events'
import { createDispatcher, createHandlers } from './handlers/index'

export interface AgentRuntime {
  serve(transport: Duplex): Peer
}

export function createAgentRuntime(version: string, env: NodeJS.ProcessEnv = process.env): AgentRuntime {
  const endpoint = resolveEngineEndpoint(env)
  const docker = connectEngine(endpoint)
  const events = new EngineEvents(docker)
  const described = describeEndpoint(endpoint)
  const dispatch = createDispatcher(createHandlers({ docker, events, endpoint: described, version }), described)
  return {
    serve: (transport) => new Peer(transport, { role: 'agent', version, handler: dispatch }),
  }
}
