/**
 * One binary stream multiplexed over a Peer (a terminal, a log, a file transfer).
 *
 * Flow control is credit based, after VS Code's remote terminals: the sender keeps at most
 * HIGH_WATERMARK_BYTES unacknowledged; the receiver acknowledges what its consumer has
 * actually taken (for a terminal: what xterm has drawn), in batches of ACK_BATCH_BYTES.
 * A flood on one stream therefore never fills the shared link ahead of other streams or
 * control calls.
 *
 * A stream carries bytes both ways, as an SSH channel does: a terminal's output one way and its
 * keys the other. The two directions never share credit: unackedBytes counts what this side
 * sent (ACKs from the other side pay it back), pendingAckBytes what it received.
 */
import { EventEmitter } from 'node:events'
import type { BerthErrorValue } from '../errors'
import { DATA_CHUNK_BYTES } from './frames'

export const HIGH_WATERMARK_BYTES = 256 * 1024
export const LOW_WATERMARK_BYTES = 64 * 1024
export const ACK_BATCH_BYTES = 32 * 1024

/** What a stream needs from its peer: the ability to send frames. */
export interface StreamLink {
  sendData(streamId: number, data: Uint8Array): void
  sendAck(streamId: number, bytes: number): void
  sendEnd(streamId: number, error?: BerthErrorValue): void
  forget(streamId: number): void
}

export interface DataStreamEvents {
  data: [Buffer]
  drain: []
  end: [BerthErrorValue | undefined]
}

export class DataStream extends EventEmitter<DataStreamEvents> {
  private unackedBytes = 0
  private readonly queue: Buffer[] = []
  private pendingAckBytes = 0
  private ended = false
  private blocked = false
  /** Set by endWhenFlushed: end once the queue has gone out. */
  private endPending: { error?: BerthErrorValue } | undefined
  /** Data that arrived before anyone listened (kept so nothing is lost). */
  private early: Buffer[] = []
  /** An end that arrived before anyone listened: told after the early data. */
  private deferredEnd: { error: BerthErrorValue | undefined } | undefined

  /**
   * @param manualAck when true the consumer calls consumed(n) after it has used the data;
   *   otherwise data counts as consumed as soon as it is delivered to 'data' listeners.
   */
  constructor(
    readonly id: number,
    private readonly link: StreamLink,
    private manualAck = false,
  ) {
    super()
    this.on('newListener' as never, ((name: string) => {
      if ((name === 'data' || name === 'end') && (this.early.length > 0 || this.deferredEnd)) queueMicrotask(() => this.flushEarly())
    }) as never)
  }

  get isEnded(): boolean {
    return this.ended
  }

  /** Bytes buffered on this side waiting for the receiver's credit. */
  get queuedBytes(): number {
    return this.queue.reduce((n, b) => n + b.length, 0)
  }

  setManualAck(manual: boolean): void {
    this.manualAck = manual
  }

  /** Returns false when the caller should wait for 'drain' before writing more. */
  write(chunk: Uint8Array): boolean {
    if (this.ended) return false
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    for (let off = 0; off < buf.length; off += DATA_CHUNK_BYTES) {
      this.queue.push(buf.subarray(off, off + DATA_CHUNK_BYTES))
    }
    this.pump()
    this.blocked = this.queue.length > 0 || this.unackedBytes >= HIGH_WATERMARK_BYTES
    return !this.blocked
  }

  /** Tells the sender that `bytes` of received data have been used (manual-ack mode). */
  consumed(bytes: number): void {
    if (this.ended) return
    this.pendingAckBytes += bytes
    if (this.pendingAckBytes >= ACK_BATCH_BYTES) {
      this.link.sendAck(this.id, this.pendingAckBytes)
      this.pendingAckBytes = 0
    }
  }

  /** Ends after everything written so far has been sent (end() drops what is queued). */
  endWhenFlushed(error?: BerthErrorValue): void {
    if (this.ended) return
    if (this.queue.length === 0) return this.end(error)
    this.endPending = error === undefined ? {} : { error }
  }

  end(error?: BerthErrorValue): void {
    if (this.ended) return
    this.link.sendEnd(this.id, error)
    this.finish(error)
  }

  // --- called by the peer ---

  receiveData(data: Buffer): void {
    if (this.ended) return
    if (this.listenerCount('data') === 0) {
      this.early.push(data)
      return
    }
    this.deliver(data)
  }

  receiveAck(bytes: number): void {
    this.unackedBytes = Math.max(0, this.unackedBytes - bytes)
    this.pump()
    if (this.blocked && this.queue.length === 0 && this.unackedBytes < LOW_WATERMARK_BYTES) {
      this.blocked = false
      this.emit('drain')
    }
  }

  receiveEnd(error?: BerthErrorValue): void {
    this.finish(error)
  }

  private deliver(data: Buffer): void {
    this.emit('data', data)
    if (!this.manualAck) this.consumed(data.length)
  }

  private flushEarly(): void {
    // with data waiting, wait for a data listener; with none, for anyone to tell the end to
    if (this.early.length > 0 ? this.listenerCount('data') === 0 : this.listenerCount('end') === 0) return
    const early = this.early
    this.early = []
    for (const data of early) this.deliver(data)
    const deferred = this.deferredEnd
    this.deferredEnd = undefined
    if (deferred) this.emit('end', deferred.error)
  }

  private pump(): void {
    while (this.queue.length > 0 && this.unackedBytes < HIGH_WATERMARK_BYTES) {
      const chunk = this.queue.shift()!
      this.unackedBytes += chunk.length
      this.link.sendData(this.id, chunk)
    }
    if (this.endPending && this.queue.length === 0) this.end(this.endPending.error)
  }

  private finish(error?: BerthErrorValue): void {
    if (this.ended) return
    this.ended = true
    this.queue.length = 0
    this.link.forget(this.id)
    // told after any data that waits for a listener: whoever picks the stream up later
    // still gets its data and then its end
    this.deferredEnd = { error }
    this.flushEarly()
  }

}
