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
 *
 * The receiver does not take the sender's word for it: it counts what arrived past its own
 * last ACK, and a sender that goes beyond its credit (plus slack for the chunk that may cross
 * the watermark) is a broken peer (receiveData says so; the Peer closes the link).
 */
import { EventEmitter } from 'node:events'
import type { BerthErrorValue } from '../errors'
import { DATA_CHUNK_BYTES } from './frames'

export const HIGH_WATERMARK_BYTES = 256 * 1024
export const LOW_WATERMARK_BYTES = 64 * 1024
export const ACK_BATCH_BYTES = 32 * 1024
/** The sender sends while under the watermark, so its last chunk may cross it: one chunk, and one more of margin. */
export const CREDIT_SLACK_BYTES = 2 * DATA_CHUNK_BYTES
/** What may arrive past this side's last ACK before the sender has broken its promise. */
export const MAX_UNACKED_RECEIVED_BYTES = HIGH_WATERMARK_BYTES + CREDIT_SLACK_BYTES

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
  /** Received and not yet acknowledged: what the sender still counts against its credit. */
  private unackedReceivedBytes = 0
  /** Received and not yet consumed: all an acknowledgement may pay back. */
  private unconsumedBytes = 0
  private ended = false
  private blocked = false
  /** Set by endWhenFlushed: end once the queue has gone out. */
  private endPending: { error?: BerthErrorValue } | undefined
  /** Data that arrived before anyone listened (kept so nothing is lost). */
  private early: Buffer[] = []
  private earlyByteCount = 0
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

  /** Received bytes held for want of a listener. */
  get earlyBytes(): number {
    return this.earlyByteCount
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
    // what never arrived cannot be paid back: that would be credit for a flood
    const taken = Math.min(bytes, this.unconsumedBytes)
    if (!(taken > 0)) return
    this.unconsumedBytes -= taken
    this.pendingAckBytes += taken
    if (this.pendingAckBytes >= ACK_BATCH_BYTES) {
      const paid = this.pendingAckBytes
      // counted before it is sent: over an in-memory pipe the answer (more data) arrives within sendAck
      this.pendingAckBytes = 0
      this.unackedReceivedBytes -= paid
      this.link.sendAck(this.id, paid)
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

  /** False, taking nothing, when `data` goes past the credit this side gave. */
  receiveData(data: Buffer): boolean {
    if (this.ended) return true
    if (this.unackedReceivedBytes + data.length > MAX_UNACKED_RECEIVED_BYTES) return false
    this.unackedReceivedBytes += data.length
    this.unconsumedBytes += data.length
    if (this.listenerCount('data') === 0) {
      this.early.push(data)
      this.earlyByteCount += data.length
      return true
    }
    this.deliver(data)
    return true
  }

  /** Ends the stream with `error`, dropping what it held for a listener (the peer will not keep it). */
  refuse(error: BerthErrorValue): void {
    this.early = []
    this.earlyByteCount = 0
    this.end(error)
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
    this.earlyByteCount = 0
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
