/**
 * Length-prefixed frames between main and agent.
 *
 *   [u32 BE: length of what follows][u8: frame type][payload]
 *
 * Control frames carry JSON; DATA frames carry [u32 BE stream id][raw bytes] so terminal
 * and file bytes are never base64-encoded. A frame larger than the limit is skipped, not
 * buffered, so a hostile or broken peer cannot make the other side allocate it.
 */
export const FrameType = {
  HELLO: 1,
  REQUEST: 2,
  RESPONSE: 3,
  CANCEL: 4,
  EVENT: 5,
  DATA: 6,
  ACK: 7,
  STREAM_END: 8,
  ERROR: 9,
} as const
export type FrameTypeValue = (typeof FrameType)[keyof typeof FrameType]

const frameTypes = new Set<number>(Object.values(FrameType))

/** Control frames stay small; big payloads go through streams. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024
/** Largest slice of stream data put in one DATA frame. */
export const DATA_CHUNK_BYTES = 64 * 1024

const HEADER_BYTES = 5

export function encodeJsonFrame(type: FrameTypeValue, value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8')
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length)
  frame.writeUInt32BE(body.length + 1, 0)
  frame.writeUInt8(type, 4)
  body.copy(frame, HEADER_BYTES)
  return frame
}

export function encodeDataFrame(streamId: number, data: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + 4 + data.length)
  frame.writeUInt32BE(data.length + 5, 0)
  frame.writeUInt8(FrameType.DATA, 4)
  frame.writeUInt32BE(streamId, 5)
  frame.set(data, 9)
  return frame
}

export type DecodedFrame =
  | { kind: 'json'; type: FrameTypeValue; value: unknown }
  | { kind: 'data'; streamId: number; data: Buffer }
  | { kind: 'invalid'; reason: string }

/**
 * Splits a byte stream into frames. Feed it chunks as they arrive; it yields whole frames,
 * and an 'invalid' entry (instead of throwing) for anything it cannot decode, so the caller
 * can answer with an error and carry on.
 */
export class FrameDecoder {
  private buffered: Buffer[] = []
  private bufferedBytes = 0
  private skipBytes = 0

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  *push(chunk: Buffer): Generator<DecodedFrame> {
    if (this.skipBytes > 0) {
      const skipped = Math.min(this.skipBytes, chunk.length)
      this.skipBytes -= skipped
      chunk = chunk.subarray(skipped)
    }
    if (chunk.length === 0) return
    this.buffered.push(chunk)
    this.bufferedBytes += chunk.length

    while (this.bufferedBytes >= 4) {
      const head = this.peek(4)
      const length = head.readUInt32BE(0)
      if (length === 0) {
        this.consume(4)
        yield { kind: 'invalid', reason: 'empty frame' }
        continue
      }
      if (length > this.maxFrameBytes) {
        this.consume(4)
        const skipped = Math.min(length, this.bufferedBytes)
        this.consume(skipped)
        this.skipBytes = length - skipped
        yield { kind: 'invalid', reason: `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes` }
        continue
      }
      if (this.bufferedBytes < 4 + length) return
      const frame = this.consume(4 + length).subarray(4)
      yield decodeBody(frame)
    }
  }

  private peek(n: number): Buffer {
    if (this.buffered[0]!.length >= n) return this.buffered[0]!
    this.buffered = [Buffer.concat(this.buffered)]
    return this.buffered[0]!
  }

  private consume(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered)
    const taken = all.subarray(0, n)
    const rest = all.subarray(n)
    this.buffered = rest.length > 0 ? [rest] : []
    this.bufferedBytes = rest.length
    return taken
  }
}

function decodeBody(frame: Buffer): DecodedFrame {
  const type = frame.readUInt8(0)
  if (!frameTypes.has(type)) return { kind: 'invalid', reason: `unknown frame type ${type}` }
  if (type === FrameType.DATA) {
    if (frame.length < 5) return { kind: 'invalid', reason: 'data frame without a stream id' }
    // copy: the slice would otherwise pin the whole receive buffer
    return { kind: 'data', streamId: frame.readUInt32BE(1), data: Buffer.from(frame.subarray(5)) }
  }
  try {
    return { kind: 'json', type: type as FrameTypeValue, value: JSON.parse(frame.subarray(1).toString('utf8')) }
  } catch {
    return { kind: 'invalid', reason: `frame type ${type} does not hold valid JSON` }
  }
}
