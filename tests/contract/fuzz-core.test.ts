/**
 * Fuzz: random and mutated frames from a host's agent into the core. A real BerthCore holds two
 * hosts whose agents are fakes over in-memory pipes; one of them, between its proper answers,
 * sends whatever the fuzz makes (answers to the core's calls, events, stream data, acks, ends),
 * while a window keeps using both hosts. Nothing may crash the core or leave a rejection
 * unhandled, its memory stays bounded, and the other host is served throughout.
 */
import { describe, expect, it } from 'vitest'
import { agentEvents, agentPrivateEvents, agentServedMethods, type HostView, type TerminalInfo } from '../../protocol/schema'
import { DATA_CHUNK_BYTES, encodeDataFrame } from '../../protocol/wire/frames'
import { coreWithFakeAgents, type CoreWithFakes } from '../support/fake-agents'
import { EVENT_EXAMPLES } from '../support/fuzz-examples'
import { fuzzedFrame, fuzzIterations, randomFrame, randomParams, Rng, runFuzz, writeInPieces } from '../support/fuzz'

/** Seeds that once found a failure: they run every time. */
const REGRESSION_SEEDS: number[] = []
const FRAMES = fuzzIterations(10_000)
const FRAMES_PER_ROUND = 100

const vocabulary = {
  methods: Object.keys(agentServedMethods),
  events: [...Object.keys(agentEvents), ...Object.keys(agentPrivateEvents)],
  examples: (event: string) => EVENT_EXAMPLES[event] ?? [],
}

/** What a window asks of the fuzzed host meanwhile, so calls and terminals are open when frames land. */
const WINDOW_CALLS: [string, Record<string, unknown>[]][] = [
  ['containers.list', [{}]],
  ['terminals.open', [{ spec: { kind: 'host', cols: 80, rows: 24 } }]],
  ['logs.follow', [{ id: 'web' }]],
  ['images.pull', [{ pullId: 'pull-1', reference: 'alpine:3' }]],
  ['stats.subscribe', [{}]],
]

async function windowCall(env: CoreWithFakes, rng: Rng, hostId: string, terminals: TerminalInfo[]): Promise<void> {
  if (terminals.length > 0 && rng.chance(0.4)) {
    const t = rng.pick(terminals)
    const method = rng.pick(['terminals.input', 'terminals.ack', 'terminals.resize', 'terminals.close'])
    const extra = { 'terminals.input': { data: 'ls\n' }, 'terminals.ack': { bytes: 1 + rng.int(100_000) }, 'terminals.resize': { cols: 100, rows: 30 }, 'terminals.close': {} }[method]
    await env.core.invoke(method, { hostId, terminalId: t.terminalId, ...extra }, rng.pick(['w1', 'w2']))
    return
  }
  const [method, examples] = rng.pick(WINDOW_CALLS)
  const params = randomParams(rng, examples)
  const envelope = await env.core.invoke(method, { ...(params as object), hostId }, rng.pick(['w1', 'w2']))
  if (envelope.ok && method === 'terminals.open') terminals.push(envelope.result as TerminalInfo)
}

async function fuzzCore(seed: number, frames: number): Promise<void> {
  const rng = new Rng(seed)
  const env = await coreWithFakeAgents(['steady', 'fuzzed'])
  const steady = env.hosts.steady!
  const fuzzed = env.hosts.fuzzed!
  const terminals: TerminalInfo[] = []
  const pending: Promise<unknown>[] = []
  const tally = { events: 0, closedForProtocolErrors: 0 }
  for (let sent = 0; sent < frames; ) {
    // the fuzzed host may have been closed for what it sent: the window connects it again
    await env.core.invoke('hosts.connect', { hostId: fuzzed.id })
    for (let i = 0; i < FRAMES_PER_ROUND && sent < frames; i++, sent++) {
      if (rng.chance(0.1)) pending.push(windowCall(env, rng, fuzzed.id, terminals))
      // now and then a flood on one of the agent's streams, past any credit it was given
      if (rng.chance(0.005)) for (let n = 0; n < 8; n++) fuzzed.agent.raw.write(encodeDataFrame(1 + 2 * rng.int(8), Buffer.alloc(DATA_CHUNK_BYTES)))
      // whole frames between the fake agent's own: its answers must not land inside ours
      await writeInPieces(rng, (c) => fuzzed.agent.raw.write(c), fuzzedFrame(rng, randomFrame(rng, vocabulary)), false)
    }
    // the other host answers all along
    await expect(env.call('containers.list', { hostId: steady.id })).resolves.toEqual([])
    for (const e of env.events) {
      tally.events++
      if (e.event === 'host.stateChanged' && (e.payload as HostView).error?.code === 'PROTOCOL_ERROR') tally.closedForProtocolErrors++
    }
    env.events.length = 0
    if (rng.chance(0.3)) await env.core.invoke('hosts.disconnect', { hostId: fuzzed.id })
    // a window that goes unsubscribes its stats: that call may wait on the fuzzed host
    if (rng.chance(0.2)) pending.push(env.core.clientGone(rng.pick(['w1', 'w2'])))
  }
  // calls to the fuzzed host end one way or another: answered, refused or timed out
  await env.core.invoke('hosts.disconnect', { hostId: fuzzed.id })
  await Promise.all(pending)
  const views = await env.call<HostView[]>('hosts.list', {})
  expect(views.find((v) => v.id === steady.id)?.state).toBe('connected')
  await env.core.close()
  console.log(`fuzz core: seed ${seed}: ${terminals.length} terminals opened, ${tally.events} events, ${tally.closedForProtocolErrors} views of a link closed for a protocol error`)
}

describe('fuzz: frames from an agent into the core', () => {
  it(`survives ${FRAMES} random and mutated frames per seed, and serves the other host throughout`, { timeout: 120_000 }, async () => {
    await runFuzz('core', REGRESSION_SEEDS, (seed) => fuzzCore(seed, FRAMES))
  })
})
