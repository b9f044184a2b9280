/**
 * What the fuzz tests share: a small seeded PRNG (the same seed gives the same run; each run
 * prints its seed, and FUZZ_SEED replays one), random JSON values and params, frames of the
 * main <-> agent wire and their mutations, and a watch on the process (peak RSS, uncaught
 * errors and unhandled rejections). FUZZ_ITERATIONS raises the count for a longer local run.
 */
import { expect } from 'vitest'
import { encodeDataFrame, encodeJsonFrame, FrameType, type FrameTypeValue } from '../../protocol/wire/frames'

/** mulberry32: tiny, fast, and good enough to pick test inputs. */
export class Rng {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }
}

/** The seeds of one fuzz file: every seed that once found a failure, then this run's own. */
export function fuzzSeeds(name: string, regressions: readonly number[]): number[] {
  const fromEnv = Number(process.env.FUZZ_SEED)
  const fresh = Number.isSafeInteger(fromEnv) && process.env.FUZZ_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 32)
  console.log(`fuzz ${name}: seed ${fresh} (replay with FUZZ_SEED=${fresh}); regression seeds ${regressions.join(', ') || 'none'}`)
  return [...regressions, fresh]
}

export function fuzzIterations(byDefault: number): number {
  const n = Number(process.env.FUZZ_ITERATIONS)
  return Number.isSafeInteger(n) && n > 0 ? n : byDefault
}

const FIELDS = [
  'id', 'hostId', 'name', 'image', 'images', 'reference', 'followId', 'pullId', 'pushId', 'sessionId', 'streamId',
  'terminalId', 'transferId', 'buildId', 'cols', 'rows', 'tail', 'since', 'until', 'timestamps', 'intervalMs', 'kind',
  'spec', 'container', 'command', 'path', 'force', 'fromOffset', 'data', 'bytes', 'tags', 'platform', 'auth',
  'timeoutSeconds', 'env', 'user', 'workdir', 'detachKeys', 'fingerprint', 'answers', 'hostIds', 'names', 'domain',
  'context', 'dockerfile', 'address', 'port', 'volume', 'network', 'all', 'dryRun', '__proto__', 'constructor',
]
const STRINGS = [
  '', 'a', 'x', 'web', 'alpine:3', 'local', 'host', 'exec', 'attach', 'image', 'network', 'volume', '/', '/tmp', '~',
  '../../etc/passwd', 'ctrl-p,ctrl-q', '\u0000', '\ud800', '😀', 'sha256:0123', 'linux/amd64', 'me', 'null', '-1', '0',
  '00000000-0000-0000-0000-000000000000', 'a'.repeat(65), 'é'.repeat(300),
]
const NUMBERS = [0, 1, -1, 2, 24, 80, 1000, 65536, 2 ** 31, 2 ** 32 + 1, 2 ** 53, -(2 ** 53), 0.5, 1e308, -1e-308]

/** Any JSON value, mostly small, sometimes deep or long. */
export function randomValue(rng: Rng, depth = 0): unknown {
  const roll = rng.int(depth > 3 ? 6 : 9)
  switch (roll) {
    case 0:
      return null
    case 1:
      return rng.chance(0.5)
    case 2:
      return rng.chance(0.5) ? rng.pick(NUMBERS) : rng.int(100_000)
    case 3:
    case 4:
      return rng.pick(STRINGS)
    case 5:
      return rng.chance(0.01) ? 'y'.repeat(rng.int(200_000)) : rng.bytes(rng.int(12)).toString('latin1')
    case 6:
    case 7:
      return randomObject(rng, depth + 1)
    default:
      return Array.from({ length: rng.int(rng.chance(0.05) ? 300 : 4) }, () => randomValue(rng, depth + 1))
  }
}

export function randomObject(rng: Rng, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // defined, not assigned: a key named __proto__ is an own key, as JSON.parse makes it
  for (let i = rng.int(4); i > 0; i--) Object.defineProperty(out, rng.pick(FIELDS), { value: randomValue(rng, depth), enumerable: true, writable: true, configurable: true })
  return out
}

/**
 * Params for a method: a known-good example changed a little (so some calls get past the
 * schema and into the handlers), or anything at all.
 */
export function randomParams(rng: Rng, examples: readonly Record<string, unknown>[]): unknown {
  if (examples.length > 0 && rng.chance(0.6)) {
    const params = { ...rng.pick(examples) }
    if (rng.chance(0.5)) {
      const keys = Object.keys(params)
      const key = rng.chance(0.5) && keys.length > 0 ? rng.pick(keys) : rng.pick(FIELDS)
      if (rng.chance(0.3)) delete params[key]
      else params[key] = randomValue(rng, 1)
    }
    return params
  }
  return rng.chance(0.7) ? randomObject(rng) : randomValue(rng)
}

const JSON_TYPES: FrameTypeValue[] = [
  FrameType.HELLO, FrameType.REQUEST, FrameType.RESPONSE, FrameType.CANCEL, FrameType.EVENT, FrameType.ACK, FrameType.STREAM_END, FrameType.ERROR,
]

/** Which methods, events and stream ids the frames name, to get past the first checks. */
export interface FrameVocabulary {
  methods: readonly string[]
  events: readonly string[]
  /** Known-good params of a method, or payloads of an event. */
  examples: (methodOrEvent: string) => readonly Record<string, unknown>[]
}

/** One frame of the wire, well-formed in its framing, its content anything from valid to absurd. */
export function randomFrame(rng: Rng, words: FrameVocabulary): Buffer {
  const streamId = rng.chance(0.8) ? rng.int(12) : rng.pick(NUMBERS)
  if (rng.chance(0.2)) return encodeDataFrame(Number.isInteger(streamId) && streamId >= 0 && streamId < 2 ** 32 ? streamId : 1, rng.bytes(rng.chance(0.05) ? rng.int(70_000) : rng.int(64)))
  const type = rng.pick(JSON_TYPES)
  const id = rng.chance(0.8) ? rng.int(20) : rng.pick(NUMBERS)
  const method = rng.chance(0.9) ? rng.pick(words.methods) : rng.pick(STRINGS)
  const error = rng.chance(0.7) ? { code: rng.pick(['NOT_FOUND', 'INTERNAL', 'PROTOCOL_ERROR', 'NOPE']), message: rng.pick(STRINGS) } : randomValue(rng)
  const bodies: Record<number, () => unknown> = {
    [FrameType.HELLO]: () => ({ protocol: rng.chance(0.5) ? 1 : randomValue(rng), version: rng.pick(STRINGS), role: rng.pick(['client', 'agent']) }),
    [FrameType.REQUEST]: () => ({ id, method, params: randomParams(rng, words.examples(method)) }),
    [FrameType.RESPONSE]: () => (rng.chance(0.5) ? { id, ok: true, result: randomValue(rng) } : { id, ok: false, error }),
    [FrameType.CANCEL]: () => ({ id }),
    [FrameType.EVENT]: () => {
      const event = rng.chance(0.9) ? rng.pick(words.events) : rng.pick(STRINGS)
      return { event, payload: randomParams(rng, words.examples(event)) }
    },
    [FrameType.ACK]: () => ({ streamId, bytes: rng.chance(0.5) ? rng.int(70_000) : rng.pick(NUMBERS) }),
    [FrameType.STREAM_END]: () => ({ streamId, ...(rng.chance(0.3) ? { error } : {}) }),
    [FrameType.ERROR]: () => ({ ...(rng.chance(0.5) ? { id } : {}), error }),
  }
  return encodeJsonFrame(type, rng.chance(0.03) ? randomValue(rng) : bodies[type]!())
}

/**
 * A frame with its content changed but its framing kept (bytes of the body flipped, the type
 * rewritten, the body replaced by noise of the same length), so the frames after it still
 * arrive as frames.
 */
export function mutateContent(rng: Rng, frame: Buffer): Buffer {
  const out = Buffer.from(frame)
  if (out.length <= 5) return out
  switch (rng.int(3)) {
    case 0:
      for (let i = rng.int(4) + 1; i > 0; i--) out[5 + rng.int(out.length - 5)] = rng.int(256)
      return out
    case 1:
      out[4] = rng.int(256)
      return out
    default:
      rng.bytes(out.length - 5).copy(out, 5)
      return out
  }
}

/**
 * A frame with its framing broken: cut short, grown, its length a lie (too short, too long,
 * past any limit), or plain noise. What follows it on the connection is read out of step.
 */
export function mutateFraming(rng: Rng, frame: Buffer): Buffer {
  const out = Buffer.from(frame)
  switch (rng.int(4)) {
    case 0:
      return out.subarray(0, rng.int(out.length))
    case 1:
      return Buffer.concat([out, rng.bytes(rng.int(32))])
    case 2:
      out.writeUInt32BE(rng.pick([0, 1, 2, out.length, out.length + 7, 4 * 1024 * 1024 + 1, 0xffffffff, rng.int(100_000)]), 0)
      return out
    default:
      return rng.bytes(rng.int(40))
  }
}

/** A frame as a fuzz sends it: mostly as it is, sometimes its content changed, rarely its framing broken. */
export function fuzzedFrame(rng: Rng, frame: Buffer): Buffer {
  const roll = rng.next()
  return roll < 0.005 ? mutateFraming(rng, frame) : roll < 0.155 ? mutateContent(rng, frame) : frame
}

/** Peak RSS a fuzz file may reach: far above what one needs, far below a leak's. */
const MAX_PEAK_RSS_MIB = 512

/**
 * Runs one fuzz for each seed (the regressions, then this run's), and fails on any error
 * nobody caught, any unhandled rejection, or a peak RSS past MAX_PEAK_RSS_MIB (printed).
 */
export async function runFuzz(name: string, regressions: readonly number[], fuzz: (seed: number) => Promise<void>): Promise<void> {
  const watch = watchProcess()
  for (const seed of fuzzSeeds(name, regressions)) await fuzz(seed)
  const { peakRssMiB, errors } = watch.stop()
  console.log(`fuzz ${name}: peak RSS ${peakRssMiB} MiB`)
  expect(errors).toEqual([])
  expect(peakRssMiB).toBeLessThan(MAX_PEAK_RSS_MIB)
}

/** Watches the process while a fuzz runs: peak RSS, and errors nobody caught. */
export function watchProcess(): { stop(): { peakRssMiB: number; errors: unknown[] } } {
  const errors: unknown[] = []
  const onError = (err: unknown): void => void errors.push(err)
  process.on('unhandledRejection', onError)
  process.on('uncaughtException', onError)
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  return {
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage().rss)
      process.off('unhandledRejection', onError)
      process.off('uncaughtException', onError)
      return { peakRssMiB: Math.round(peak / 1024 / 1024), errors }
    },
  }
}

/**
 * Writes `bytes` in pieces of random size, as a network would. It yields now and then between
 * pieces, unless someone else writes on the same link (their frames would land mid-frame).
 */
export async function writeInPieces(rng: Rng, write: (chunk: Buffer) => void, bytes: Buffer, yieldMidFrame = true): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, rng.chance(0.5) ? bytes.length - at : rng.int(bytes.length - at + 1))
    write(bytes.subarray(at, at + n))
    at += n
    if (yieldMidFrame && at < bytes.length && rng.chance(0.2)) await new Promise((r) => setImmediate(r))
  }
  if (rng.chance(0.2)) await new Promise((r) => setImmediate(r))
}
