/**
 * A Peer's streams: the ones each side opened, the ones the other side opened that nobody here
 * has claimed yet, and the ones that ended lately. Each side allocates stream ids of its own
 * parity (the client even, the agent odd), so ids never collide and an id tells who opened it.
 *
 * What the other side may make this side hold is bounded here: a stream past its credit, or an
 * unclaimed one past what its credit allows, breaks the protocol (`fail` closes the peer);
 * unclaimed streams past MAX_UNCLAIMED_STREAMS or MAX_UNCLAIMED_TOTAL_BYTES are refused.
 */
import type { BerthErrorValue } from '../errors'
import { DataStream, MAX_UNACKED_RECEIVED_BYTES, type StreamLink } from './data-stream'

/** How many streams the remote may open that nobody here has picked up yet. */
const MAX_UNCLAIMED_STREAMS = 64
/**
 * Early data one unclaimed stream may hold: what its credit lets a sender send before any ACK
 * (nothing is acknowledged until someone claims it). Past it the sender broke its promise.
 */
export const MAX_UNCLAIMED_STREAM_BYTES = MAX_UNACKED_RECEIVED_BYTES
/**
 * Early data all unclaimed streams together may hold; past it a stream is refused (ended with
 * PROTOCOL_ERROR, its data dropped), as one past MAX_UNCLAIMED_STREAMS is. Room for a few dozen
 * streams at full credit: terminals resumed at once each replay up to their credit before the
 * answer that names their stream.
 */
export const MAX_UNCLAIMED_TOTAL_BYTES = 16 * 1024 * 1024
/** How many ended remote streams to remember, to drop their late frames. */
const MAX_FINISHED_REMEMBERED = 1024

/** The link of a stream that never was: it sends nothing. */
const DETACHED_LINK: StreamLink = { sendData() {}, sendAck() {}, sendEnd() {}, forget() {} }

export class StreamTable {
  private readonly streams = new Map<number, DataStream>()
  private readonly unclaimed = new Set<number>()
  /** Remote streams that ended here lately: frames still in flight for them are dropped. */
  private readonly finished = new Set<number>()
  private nextStreamId: number
  private readonly remoteParity: number

  constructor(
    private readonly link: StreamLink,
    localParity: 0 | 1,
    /** The other side broke the protocol: close the link. */
    private readonly fail: (message: string, detail: Record<string, unknown>) => void,
  ) {
    this.nextStreamId = localParity === 0 ? 2 : 1
    this.remoteParity = 1 - localParity
  }

  open(manualAck?: boolean): DataStream {
    const id = this.nextStreamId
    this.nextStreamId += 2
    const stream = new DataStream(id, this.link, manualAck)
    this.streams.set(id, stream)
    return stream
  }

  /**
   * An id of this side's own parity names no stream of the other side's: that gives a stream
   * ended with PROTOCOL_ERROR, and this side's own stream of that id is left alone.
   */
  accept(id: number, manualAck = false): DataStream {
    if (!Number.isSafeInteger(id) || id < 0 || id % 2 !== this.remoteParity) {
      const refused = new DataStream(id, DETACHED_LINK, manualAck)
      refused.receiveEnd({ code: 'PROTOCOL_ERROR', message: `stream ${id} was not opened by the other side` })
      return refused
    }
    let stream = this.streams.get(id)
    if (stream === undefined) {
      stream = new DataStream(id, this.link, manualAck)
      this.streams.set(id, stream)
    } else {
      stream.setManualAck(manualAck)
    }
    this.unclaimed.delete(id)
    // one that ended before it was claimed was kept only for this
    if (stream.isEnded) this.streams.delete(id)
    return stream
  }

  forget(streamId: number): void {
    // a stream the other side opened and ended before anyone here claimed it stays until
    // claimed (its data and end wait in it), bounded by MAX_UNCLAIMED_STREAMS
    if (this.unclaimed.has(streamId)) return
    this.streams.delete(streamId)
    if (streamId % 2 === this.remoteParity) {
      this.finished.add(streamId)
      if (this.finished.size > MAX_FINISHED_REMEMBERED) this.finished.delete(this.finished.values().next().value!)
    }
  }

  /** Ends every stream: the link is gone. */
  endAll(error: BerthErrorValue): void {
    for (const stream of [...this.streams.values()]) stream.receiveEnd(error)
  }

  onAck(streamId: number, bytes: number): void {
    this.streams.get(streamId)?.receiveAck(bytes)
  }

  onEnd(streamId: number, error: BerthErrorValue | undefined): void {
    // a stream may end before it ever carried data: keep that for whoever claims it
    const stream = this.streams.get(streamId) ?? this.unclaimedStream(streamId)
    stream?.receiveEnd(error)
  }

  onData(streamId: number, data: Buffer): void {
    const stream = this.streams.get(streamId) ?? this.unclaimedStream(streamId)
    if (stream === undefined) return
    if (this.unclaimed.has(streamId)) {
      if (stream.earlyBytes + data.length > MAX_UNCLAIMED_STREAM_BYTES) {
        return this.fail(`stream ${streamId} sent more than ${MAX_UNCLAIMED_STREAM_BYTES} bytes before anyone claimed it`, { streamId })
      }
      if (this.unclaimedBytes() + data.length > MAX_UNCLAIMED_TOTAL_BYTES) {
        return stream.refuse({ code: 'PROTOCOL_ERROR', message: `more than ${MAX_UNCLAIMED_TOTAL_BYTES} bytes wait on streams nobody has claimed` })
      }
    }
    if (!stream.receiveData(data)) {
      this.fail(`stream ${streamId} sent more than its credit of ${MAX_UNACKED_RECEIVED_BYTES} bytes without an acknowledgement`, { streamId })
    }
  }

  private unclaimedBytes(): number {
    let bytes = 0
    for (const id of this.unclaimed) bytes += this.streams.get(id)?.earlyBytes ?? 0
    return bytes
  }

  /** A stream the other side opened that nobody here has claimed yet; undefined if refused. */
  private unclaimedStream(streamId: number): DataStream | undefined {
    if (streamId % 2 !== this.remoteParity || this.finished.has(streamId)) return undefined
    if (this.unclaimed.size >= MAX_UNCLAIMED_STREAMS) {
      this.link.sendEnd(streamId, { code: 'PROTOCOL_ERROR', message: 'too many streams nobody has claimed' })
      return undefined
    }
    const stream = new DataStream(streamId, this.link)
    this.streams.set(streamId, stream)
    this.unclaimed.add(streamId)
    return stream
  }
}
