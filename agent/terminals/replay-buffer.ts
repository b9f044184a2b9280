/**
 * The last REPLAY_BYTES of a terminal's output, addressed by absolute offset (bytes since the
 * process started), so a client that lost its link can ask for everything after the last byte
 * it received and learn how much no longer fits (the gap).
 */
export const REPLAY_BYTES = 1024 * 1024

export interface Replay {
  chunks: Buffer[]
  /** Bytes between the asked offset and the oldest byte still kept. */
  gapBytes: number
}

/** A UTF-8 continuation byte: never the first byte of a character. */
const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80

export class ReplayBuffer {
  private chunks: Buffer[] = []
  private size = 0
  /** Offset of chunks[0][0]. */
  private start = 0

  constructor(private readonly capacity = REPLAY_BYTES) {}

  /** Total bytes ever pushed: the offset the next byte will have. */
  get end(): number {
    return this.start + this.size
  }

  push(data: Buffer): void {
    if (data.length === 0) return
    this.chunks.push(data)
    this.size += data.length
    while (this.size - this.chunks[0]!.length >= this.capacity) this.dropFirst(this.chunks[0]!.length)
    if (this.size > this.capacity) {
      // cut inside the first chunk, then on to a character's first byte, so a replay never
      // starts in the middle of a character
      let cut = this.size - this.capacity
      const first = this.chunks[0]!
      while (cut < first.length && isContinuation(first[cut]!)) cut++
      this.dropFirst(cut)
    }
  }

  /** Everything from `offset` on (from the oldest kept byte when that is later). */
  from(offset: number): Replay {
    if (offset >= this.end) return { chunks: [], gapBytes: 0 }
    const gapBytes = Math.max(0, this.start - offset)
    let skip = Math.max(0, offset - this.start)
    const chunks: Buffer[] = []
    for (const chunk of this.chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length
        continue
      }
      chunks.push(skip > 0 ? chunk.subarray(skip) : chunk)
      skip = 0
    }
    return { chunks, gapBytes }
  }

  private dropFirst(bytes: number): void {
    const first = this.chunks[0]!
    if (bytes >= first.length) this.chunks.shift()
    else this.chunks[0] = first.subarray(bytes)
    const dropped = Math.min(bytes, first.length)
    this.size -= dropped
    this.start += dropped
  }
}
