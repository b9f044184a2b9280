import type Docker from 'dockerode'
import type { EngineEvents } from '../engine/events'
import type { SessionTable } from '../terminals/session-table'

/** What every handler may use. */
export interface AgentDeps {
  docker: Docker
  events: EngineEvents
  /** The engine's address, for error messages. */
  endpoint: string
  version: string
  /** True when this runs on the engine's own host (the agent), false in main's agentless mode. */
  onHost: boolean
  /** Terminal sessions; one table per agent process, shared by its connections. */
  sessions: SessionTable
}
