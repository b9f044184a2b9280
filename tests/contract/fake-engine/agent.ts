/**
 * The real agent runtime (agent/runtime/serve.ts) on real dockerode, pointed at a fake engine,
 * served over an in-memory pipe to a client Peer that calls it as main does. Every answer and
 * every event is checked against its schema in protocol/: an agent that answers outside its
 * contract fails the test that caught it.
 */
import Docker from 'dockerode'
import { afterEach, beforeEach } from 'vitest'
import type { z } from 'zod'
import { runtimeFor, type AgentRuntime } from '../../../agent/runtime/serve'
import type { HostShellFactory } from '../../../agent/terminals/host-shell'
import { agentEvents, agentPrivateEvents, agentServedMethods, type AgentServedMethod } from '../../../protocol/schema'
import { memoryPipe } from '../../../protocol/wire/memory-pipe'
import { Peer } from '../../../protocol/wire/peer'
import { FakeEngine } from './server'

export type Params<M extends AgentServedMethod> = z.input<(typeof agentServedMethods)[M]['params']>
export type Result<M extends AgentServedMethod> = z.output<(typeof agentServedMethods)[M]['result']>

const eventSchemas: Record<string, z.ZodType> = { ...agentEvents, ...agentPrivateEvents }

export const AGENT_VERSION = '0.0.0-contract'

export interface ReceivedEvent {
  event: string
  payload: Record<string, unknown>
}

/** One connection to the agent, as main holds one per host. */
export class AgentClient {
  readonly events: ReceivedEvent[] = []

  constructor(
    readonly peer: Peer,
    private readonly violations: string[],
  ) {
    peer.on('event', (event, payload) => {
      const schema = eventSchemas[event]
      const checked = schema?.safeParse(payload)
      if (!checked?.success) violations.push(`event ${event} ${JSON.stringify(payload)}: ${checked?.error.message ?? 'not in the schema'}`)
      this.events.push({ event, payload: payload as Record<string, unknown> })
    })
  }

  /** Calls a method as main does; the answer must fit the method's result schema. */
  async call<M extends AgentServedMethod>(method: M, params: Params<M>, timeoutMs = 15_000): Promise<Result<M>> {
    const result = await this.peer.request(method, params, { timeoutMs })
    const checked = agentServedMethods[method].result.safeParse(result)
    if (!checked.success) {
      this.violations.push(`${method} answered outside its schema: ${checked.error.message}`)
      throw new Error(`${method} answered outside its schema: ${checked.error.message}\n${JSON.stringify(result, null, 2)}`)
    }
    return result as Result<M>
  }

  /** Events of one name received so far, optionally only those a predicate accepts. */
  received<T = Record<string, unknown>>(event: string, where: (payload: T) => boolean = () => true): T[] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as T).filter(where)
  }

  /** The first event of that name (already received or still to come) that the predicate accepts. */
  async nextEvent<T = Record<string, unknown>>(event: string, where: (payload: T) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const found = this.received<T>(event, where)[0]
      if (found) return found
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error(`no ${event} event within ${timeoutMs} ms; received: ${this.events.map((e) => e.event).join(', ') || 'none'}`)
  }
}

export interface AgentOptions {
  /** A host shell for session.open of kind host; without one the agent refuses host shells, as in agentless mode. */
  hostShell?: HostShellFactory
}

export class AgentUnderTest {
  readonly violations: string[] = []
  private readonly clients: AgentClient[] = []

  private constructor(
    readonly engine: FakeEngine,
    readonly docker: Docker,
    readonly runtime: AgentRuntime,
  ) {}

  static async start(options: AgentOptions = {}): Promise<AgentUnderTest> {
    const engine = await FakeEngine.start()
    const docker = new Docker({ socketPath: engine.socketPath })
    const runtime = runtimeFor(docker, engine.endpoint, AGENT_VERSION, options.hostShell)
    const agent = new AgentUnderTest(engine, docker, runtime)
    await agent.connect()
    return agent
  }

  /** The first connection: what most tests call through. */
  get client(): AgentClient {
    return this.clients[0]!
  }

  get state() {
    return this.engine.state
  }

  call<M extends AgentServedMethod>(method: M, params: Params<M>, timeoutMs?: number): Promise<Result<M>> {
    return this.client.call(method, params, timeoutMs)
  }

  /** Another connection to the same agent (a second window of main, or main after its link dropped). */
  async connect(): Promise<AgentClient> {
    const [agentSide, clientSide] = memoryPipe()
    this.runtime.serve(agentSide)
    const peer = new Peer(clientSide, { role: 'client', version: AGENT_VERSION, expectVersion: AGENT_VERSION })
    await peer.ready
    const client = new AgentClient(peer, this.violations)
    this.clients.push(client)
    return client
  }

  /** Closes every connection and the engine; fails if any answer or event broke its schema. */
  async close(): Promise<void> {
    for (const client of this.clients) client.peer.close()
    this.runtime.sessions.closeAll()
    await this.engine.close()
    if (this.violations.length > 0) throw new Error(`the agent broke its contract:\n${this.violations.join('\n')}`)
  }
}

/**
 * A fresh engine and agent for each test of the calling file, closed after it. The object
 * returned stands for whichever agent the running test has.
 */
export function agentForEachTest(options: AgentOptions = {}): AgentUnderTest {
  let current: AgentUnderTest | undefined
  beforeEach(async () => {
    current = await AgentUnderTest.start(options)
  })
  afterEach(async () => {
    const done = current
    current = undefined
    await done?.close()
  })
  return new Proxy({} as AgentUnderTest, {
    get(_target, name) {
      if (!current) throw new Error('the agent exists only while a test runs')
      const value = Reflect.get(current, name, current) as unknown
      return typeof value === 'function' ? value.bind(current) : value
    },
  })
}
