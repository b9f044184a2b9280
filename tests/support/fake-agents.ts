/**
 * A real BerthCore whose hosts' agents are fakes over in-memory pipes: each a Peer in the
 * agent's role with a small method table, and its raw end, for a test that wants an agent to
 * misbehave (frames written by hand, past every promise the protocol makes).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { BerthCore, type Envelope } from '../../main/core/core'
import type { HostConfig } from '../../main/core/hosts/host-link'
import type { SessionInfo, TerminalSpec } from '../../protocol/schema'
import type { DataStream } from '../../protocol/wire/data-stream'
import { memoryPipe } from '../../protocol/wire/memory-pipe'
import { Peer, type RequestContext } from '../../protocol/wire/peer'

export const FAKE_AGENT_VERSION = '0.0.0-fake'

type Handler = (params: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>

export interface FakeAgent {
  /** The agent's Peer. */
  peer: Peer
  /** The agent's end of the pipe: what is written here reaches main as it is. */
  raw: Duplex
  /** Terminal sessions opened here, by id, with the stream their output goes on. */
  sessions: Map<string, { stream: DataStream; info: SessionInfo }>
  /** The id the next session.open answers with (then random again). */
  nextSessionId?: string
  /** Methods called, in order. */
  calls: string[]
}

function sessionInfo(sessionId: string, spec: TerminalSpec): SessionInfo {
  return { sessionId, kind: spec.kind, title: 'fake', command: ['sh'], tty: true, state: 'live', outputBytes: 0 }
}

function startFakeAgent(extra: Record<string, Handler>): { agent: FakeAgent; mainSide: Duplex } {
  const [agentSide, mainSide] = memoryPipe()
  const sessions = new Map<string, { stream: DataStream; info: SessionInfo }>()
  const calls: string[] = []
  const agent: FakeAgent = { peer: undefined as unknown as Peer, raw: agentSide, sessions, calls }
  const handlers: Record<string, Handler> = {
    'engine.info': async () => ({ arch: 'amd64', os: 'linux', engineVersion: '27.0', apiVersion: '1.47', hostname: 'fake' }),
    'events.subscribe': async () => ({ subscribed: true }),
    'containers.list': async () => [],
    'session.open': async (spec, ctx) => {
      const sessionId = agent.nextSessionId ?? randomUUID()
      agent.nextSessionId = undefined
      const stream = ctx.peer.openStream()
      stream.on('data', () => {})
      const info = sessionInfo(sessionId, spec as TerminalSpec)
      sessions.set(sessionId, { stream, info })
      return { ...info, streamId: stream.id }
    },
    'session.resize': async () => ({}),
    'session.input': async () => ({}),
    'session.close': async () => ({}),
    ...extra,
  }
  agent.peer = new Peer(agentSide, {
    role: 'agent',
    version: FAKE_AGENT_VERSION,
    handler: async (method, params, ctx) => {
      calls.push(method)
      const handler = handlers[method]
      if (!handler) throw Object.assign(new Error(`the fake agent has no method ${method}`), { code: 'UNSUPPORTED' })
      return handler((params ?? {}) as Record<string, unknown>, ctx)
    },
  })
  return { agent, mainSide }
}

export interface CoreWithFakes {
  core: BerthCore
  /** Each host's id and its current fake agent, by host name. */
  hosts: Record<string, { id: string; agent: FakeAgent }>
  /** Every event the core emitted, in order. */
  events: { event: string; payload: unknown }[]
  /** invoke that throws on an error envelope. */
  call: <T = unknown>(method: string, params: unknown, client?: string) => Promise<T>
}

/** A core with the named hosts added and connected, each to its own fake agent. */
export async function coreWithFakeAgents(names: string[], extra: Record<string, Handler> = {}): Promise<CoreWithFakes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-fakes-'))
  const agents = new Map<string, FakeAgent>()
  const connectAgent = async (config: HostConfig) => {
    const { agent, mainSide } = startFakeAgent(extra)
    agents.set(config.name, agent)
    return { transport: mainSide, version: FAKE_AGENT_VERSION, stderr: () => '' }
  }
  const core = new BerthCore({
    dataDir,
    agentDir: dataDir,
    env: { DOCKER_HOST: `unix://${dataDir}/no-engine.sock` },
    homeDir: dataDir,
    autoConnect: false,
    connectAgent,
  })
  const events: CoreWithFakes['events'] = []
  core.onEvent((event, payload) => events.push({ event, payload }))
  await core.start()
  const call = async <T,>(method: string, params: unknown, client?: string): Promise<T> => {
    const envelope: Envelope = await core.invoke(method, params, client)
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error)
    return envelope.result as T
  }
  const hosts: CoreWithFakes['hosts'] = {}
  for (const [i, name] of names.entries()) {
    const { id } = await call<{ id: string }>('hosts.add', { name, address: `192.0.2.${i + 1}`, user: 'me' })
    await call('hosts.connect', { hostId: id })
    hosts[name] = {
      id,
      get agent() {
        return agents.get(name)!
      },
    }
  }
  return { core, hosts, events, call }
}
