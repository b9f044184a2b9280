/**
 * Fuzz: random and mutated frames into the agent's socket. The agent's real runtime (every
 * handler, its session table, its engine events) serves connection after connection over an
 * in-memory pipe, its engine a dockerode pointed at a socket where nothing listens. No frame
 * may crash it, leave a rejection unhandled or make it grow without bound, and after it all a
 * well-behaved client still gets answers.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import { describe, expect, it } from 'vitest'
import { runtimeFor } from '../../agent/runtime/serve'
import { agentEvents, agentServedMethods, PROTOCOL_VERSION } from '../../protocol/schema'
import { encodeJsonFrame, FrameType } from '../../protocol/wire/frames'
import { memoryPipe } from '../../protocol/wire/memory-pipe'
import { Peer } from '../../protocol/wire/peer'
import { METHOD_EXAMPLES } from '../support/fuzz-examples'
import { fuzzedFrame, fuzzIterations, mutateContent, randomFrame, Rng, runFuzz, writeInPieces } from '../support/fuzz'

/** Seeds that once found a failure: they run every time. */
const REGRESSION_SEEDS: number[] = []
const FRAMES = fuzzIterations(10_000)
/** Frames per connection: a frame whose length lies may swallow the rest of its connection. */
const FRAMES_PER_CONNECTION = 100
const VERSION = 'fuzz'

const vocabulary = {
  methods: Object.keys(agentServedMethods),
  events: Object.keys(agentEvents),
  examples: (method: string) => METHOD_EXAMPLES[method] ?? [],
}

const hello = (role: 'client' | 'agent') => encodeJsonFrame(FrameType.HELLO, { protocol: PROTOCOL_VERSION, version: VERSION, role })

async function fuzzAgent(seed: number, frames: number): Promise<void> {
  const rng = new Rng(seed)
  const dead = join(mkdtempSync(join(tmpdir(), 'berth-fuzz-')), 'no-engine.sock')
  const runtime = runtimeFor(new Docker({ socketPath: dead }), `unix://${dead}`, VERSION)
  for (let sent = 0; sent < frames; ) {
    const [agentSide, mainSide] = memoryPipe()
    const agent = runtime.serve(agentSide)
    agent.on('protocolError', () => {})
    mainSide.on('data', () => {})
    mainSide.on('error', () => {})
    await writeInPieces(rng, (c) => mainSide.write(c), rng.chance(0.95) ? hello('client') : mutateContent(rng, hello('client')))
    for (let i = 0; i < FRAMES_PER_CONNECTION && sent < frames; i++, sent++) {
      await writeInPieces(rng, (c) => mainSide.write(c), fuzzedFrame(rng, randomFrame(rng, vocabulary)))
    }
    // the answers of handlers that went to the engine come back before the connection goes
    await new Promise((r) => setTimeout(r, 10))
    mainSide.destroy()
  }
  // and after all that, a client that keeps to the protocol is served
  const [agentSide, mainSide] = memoryPipe()
  runtime.serve(agentSide)
  const client = new Peer(mainSide, { role: 'client', version: VERSION, expectVersion: VERSION })
  await expect(client.request('agent.ping', {})).resolves.toMatchObject({ version: VERSION })
  await expect(client.request('engine.info', {})).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' })
  client.close()
  runtime.sessions.closeAll()
}

describe('fuzz: frames into the agent', () => {
  it(`survives ${FRAMES} random and mutated frames per seed`, { timeout: 120_000 }, async () => {
    await runFuzz('agent', REGRESSION_SEEDS, (seed) => fuzzAgent(seed, FRAMES))
  })
})
