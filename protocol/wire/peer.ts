/**
 * One end of the main <-> agent protocol, over any byte duplex: an SSH channel, a unix
 * socket, a child's stdio or an in-memory pipe in tests.
 *
 * Both ends send HELLO first; nothing else is sent before the remote HELLO has arrived and
 * matched. Every request has a timeout; a timed-out or aborted request sends CANCEL so the
 * other side stops working on it. A malformed frame is answered with an ERROR frame and
 * otherwise ignored: a broken peer can make a call fail, never crash the process. A peer that
 * breaks a promise the protocol makes about memory (a stream past its credit, early data past
 * what its credit allows) is closed with PROTOCOL_ERROR: what it would cost cannot be bounded
 * otherwise.
 */
import { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import { BerthError, type BerthErrorValue, isBerthErrorValue, toErrorValue } from '../errors'
import { DEFAULT_REQUEST_TIMEOUT_MS, PROTOCOL_VERSION } from '../schema'
import type { DataStream, StreamLink } from './data-stream'
import { encodeDataFrame, encodeJsonFrame, FrameDecoder, FrameType, MAX_FRAME_BYTES } from './frames'
import type { Hello, PeerEvents, PeerRole, RequestOptions } from './peer-types'
import { StreamTable } from './stream-table'

export type { Hello, PeerEvents, PeerRole, RequestOptions } from './peer-types'

export interface RequestContext {
  signal: AbortSignal
  peer: Peer
}

export type RequestHandler = (method: string, params: unknown, ctx: RequestContext) => Promise<unknown>

export interface PeerOptions {
  role: PeerRole
  /** This side's software version, sent in HELLO. */
  version: string
  /** When set, a remote HELLO with another version fails ready() with VERSION_MISMATCH. */
  expectVersion?: string
  handler?: RequestHandler
  maxFrameBytes?: number
  helloTimeoutMs?: number
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: BerthError) => void
  timer: NodeJS.Timeout
  cleanup: () => void
}

/** The id of a request that wants no answer; real requests count from 1. */
const NOTIFY_ID = 0

export class Peer extends EventEmitter<PeerEvents> implements StreamLink {
  readonly ready: Promise<Hello>
  private readonly decoder: FrameDecoder
  private readonly pending = new Map<number, Pending>()
  private readonly active = new Map<number, AbortController>()
  private readonly streams: StreamTable
  private nextRequestId = 1
  private closed: BerthErrorValue | undefined
  private helloDone = false
  private settleReady!: { resolve: (h: Hello) => void; reject: (e: BerthError) => void }

  constructor(
    private readonly transport: Duplex,
    private readonly options: PeerOptions,
  ) {
    super()
    this.decoder = new FrameDecoder(options.maxFrameBytes ?? MAX_FRAME_BYTES)
    // each side allocates stream ids of its own parity so they never collide
    this.streams = new StreamTable(this, options.role === 'client' ? 0 : 1, (message, detail) => this.fail(message, detail))
    this.ready = new Promise<Hello>((resolve, reject) => {
      this.settleReady = { resolve, reject }
    })
    // callers may never await ready; an unobserved rejection must not crash the process
    this.ready.catch(() => {})
    const helloTimer = setTimeout(
      () => this.close(new BerthError('TIMEOUT', 'the other side did not say hello in time')),
      options.helloTimeoutMs ?? 15_000,
    )
    this.ready.then(() => clearTimeout(helloTimer), () => clearTimeout(helloTimer))

    transport.on('data', (chunk: Buffer) => this.onChunk(chunk))
    transport.on('error', (err) => this.close(new BerthError('UNREACHABLE', `connection failed: ${err.message}`)))
    transport.on('close', () => this.close(new BerthError('UNREACHABLE', 'connection closed')))
    transport.on('end', () => this.close(new BerthError('UNREACHABLE', 'connection closed by the other side')))
    this.send(encodeJsonFrame(FrameType.HELLO, { protocol: PROTOCOL_VERSION, version: options.version, role: options.role }))
  }

  get isClosed(): boolean {
    return this.closed !== undefined
  }

  async request(method: string, params: unknown, options: RequestOptions = {}): Promise<unknown> {
    await this.ready
    if (this.closed) throw BerthError.fromValue(this.closed)
    const id = this.nextRequestId++
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    return new Promise((resolve, reject) => {
      const fail = (err: BerthError, cancelRemote: boolean): void => {
        if (!this.pending.delete(id)) return
        entry.cleanup()
        if (cancelRemote && !this.closed) this.send(encodeJsonFrame(FrameType.CANCEL, { id }))
        reject(err)
      }
      const onAbort = (): void => fail(new BerthError('CANCELLED', `${method} was cancelled`), true)
      const timer = setTimeout(
        () => fail(new BerthError('TIMEOUT', `${method} did not answer within ${timeoutMs / 1000} s`), true),
        timeoutMs,
      )
      const entry: Pending = {
        resolve,
        reject,
        timer,
        cleanup: () => {
          clearTimeout(timer)
          options.signal?.removeEventListener('abort', onAbort)
        },
      }
      if (options.signal?.aborted) return reject(new BerthError('CANCELLED', `${method} was cancelled`))
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.pending.set(id, entry)
      this.send(encodeJsonFrame(FrameType.REQUEST, { id, method, params }))
    })
  }

  /**
   * A request that wants no answer (id 0): keystrokes, where an answer per key would only
   * add a packet to the link beside each echo. Failures are the other side's to log.
   */
  notify(method: string, params: unknown): void {
    if (this.helloDone && !this.closed) this.send(encodeJsonFrame(FrameType.REQUEST, { id: NOTIFY_ID, method, params }))
  }

  emitEvent(event: string, payload: unknown): void {
    if (!this.closed) this.send(encodeJsonFrame(FrameType.EVENT, { event, payload }))
  }

  /** Opens a stream from this side; tell the other side its id in a request or response. */
  openStream(options: { manualAck?: boolean } = {}): DataStream {
    return this.streams.open(options.manualAck)
  }

  /**
   * Picks up a stream the other side opened (its id came in a request or response). An id the
   * other side cannot have opened gives a stream ended with PROTOCOL_ERROR.
   */
  acceptStream(id: number, options: { manualAck?: boolean } = {}): DataStream {
    return this.streams.accept(id, options.manualAck)
  }

  close(reason: BerthError = new BerthError('UNREACHABLE', 'connection closed')): void {
    if (this.closed) return
    const value = reason.toValue()
    this.closed = value
    this.settleReady.reject(reason)
    for (const entry of this.pending.values()) {
      entry.cleanup()
      entry.reject(reason)
    }
    this.pending.clear()
    for (const controller of this.active.values()) controller.abort(reason)
    this.active.clear()
    this.streams.endAll(value)
    this.transport.destroy()
    this.emit('close', value)
  }

  // --- StreamLink ---

  sendData(streamId: number, data: Uint8Array): void {
    if (!this.closed) this.send(encodeDataFrame(streamId, data))
  }

  sendAck(streamId: number, bytes: number): void {
    if (!this.closed) this.send(encodeJsonFrame(FrameType.ACK, { streamId, bytes }))
  }

  sendEnd(streamId: number, error?: BerthErrorValue): void {
    if (!this.closed) this.send(encodeJsonFrame(FrameType.STREAM_END, { streamId, error }))
  }

  forget(streamId: number): void {
    this.streams.forget(streamId)
  }

  // --- receiving ---

  private send(frame: Buffer): void {
    if (!this.transport.destroyed) this.transport.write(frame)
  }

  /** The other side broke the protocol in a way that cannot be answered and ignored. */
  private fail(message: string, detail?: Record<string, unknown>): void {
    const error = new BerthError('PROTOCOL_ERROR', message, detail)
    this.emit('protocolError', error.toValue())
    this.send(encodeJsonFrame(FrameType.ERROR, { error: error.toValue() }))
    this.close(error)
  }

  private protocolError(message: string, id?: number): void {
    const error: BerthErrorValue = { code: 'PROTOCOL_ERROR', message }
    this.emit('protocolError', error)
    this.send(encodeJsonFrame(FrameType.ERROR, id === undefined ? { error } : { id, error }))
  }

  private onChunk(chunk: Buffer): void {
    if (this.closed) return
    for (const frame of this.decoder.push(chunk)) {
      if (this.closed) return
      if (frame.kind === 'invalid') this.protocolError(frame.reason)
      else if (frame.kind === 'data') {
        if (this.helloDone) this.streams.onData(frame.streamId, frame.data)
        else this.protocolError('a frame arrived before hello')
      } else this.onJson(frame.type, frame.value)
    }
  }

  private onJson(type: number, value: unknown): void {
    if (typeof value !== 'object' || value === null) return this.protocolError(`frame type ${type} is not an object`)
    const v = value as Record<string, unknown>
    if (type === FrameType.HELLO) return this.onHello(v)
    if (!this.helloDone) return this.protocolError('a frame arrived before hello')
    switch (type) {
      case FrameType.REQUEST:
        return this.onRequest(v)
      case FrameType.RESPONSE:
        return this.onResponse(v)
      case FrameType.CANCEL:
        if (typeof v.id === 'number') this.active.get(v.id)?.abort(new BerthError('CANCELLED', 'cancelled by caller'))
        return
      case FrameType.EVENT:
        if (typeof v.event !== 'string') return this.protocolError('an event frame needs an event name')
        this.emit('event', v.event, v.payload)
        return
      case FrameType.ACK:
        if (typeof v.streamId !== 'number' || typeof v.bytes !== 'number' || !Number.isSafeInteger(v.bytes) || v.bytes <= 0) {
          return this.protocolError('an acknowledgement needs a stream id and a positive whole number of bytes')
        }
        this.streams.onAck(v.streamId, v.bytes)
        return
      case FrameType.STREAM_END:
        if (typeof v.streamId === 'number') this.streams.onEnd(v.streamId, isBerthErrorValue(v.error) ? v.error : undefined)
        return
      case FrameType.ERROR:
        if (isBerthErrorValue(v.error)) {
          if (typeof v.id === 'number') this.settle(v.id, { ok: false, error: v.error })
          else this.emit('protocolError', v.error)
        }
        return
    }
  }

  private onHello(v: Record<string, unknown>): void {
    if (this.helloDone) return this.protocolError('hello was sent twice')
    const hello = v as unknown as Hello
    if (typeof hello.protocol !== 'number' || typeof hello.version !== 'string') {
      return this.close(new BerthError('PROTOCOL_ERROR', 'the other side sent a malformed hello'))
    }
    if (hello.protocol !== PROTOCOL_VERSION) {
      return this.close(
        new BerthError('VERSION_MISMATCH', `protocol ${hello.protocol} is not ${PROTOCOL_VERSION}`, {
          remoteProtocol: hello.protocol,
          remoteVersion: hello.version,
        }),
      )
    }
    if (this.options.expectVersion !== undefined && hello.version !== this.options.expectVersion) {
      return this.close(
        new BerthError('VERSION_MISMATCH', `agent ${hello.version} is not the expected ${this.options.expectVersion}`, {
          remoteVersion: hello.version,
          expectedVersion: this.options.expectVersion,
        }),
      )
    }
    this.helloDone = true
    this.settleReady.resolve(hello)
  }

  private onRequest(v: Record<string, unknown>): void {
    const { id, method, params } = v
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return this.protocolError('a request needs a numeric id')
    if (typeof method !== 'string') return this.protocolError('a request needs a method name', id)
    const handler = this.options.handler
    if (id === NOTIFY_ID) {
      handler?.(method, params, { signal: new AbortController().signal, peer: this }).catch((err: unknown) =>
        this.emit('protocolError', { code: 'PROTOCOL_ERROR', message: `${method} (no answer wanted) failed: ${toErrorValue(err).message}` }),
      )
      return
    }
    if (handler === undefined) return this.respond(id, { ok: false, error: { code: 'UNSUPPORTED', message: 'this side serves no methods' } })
    if (this.active.has(id)) return this.protocolError(`request id ${id} is already in use`, id)
    const controller = new AbortController()
    this.active.set(id, controller)
    handler(method, params, { signal: controller.signal, peer: this })
      .then(
        (result) => ({ ok: true as const, result }),
        (err: unknown) => ({ ok: false as const, error: toErrorValue(err) }),
      )
      .then((outcome) => {
        // a cancelled request is not answered: the caller has already given up on it
        if (this.active.get(id) !== controller || controller.signal.aborted) return
        this.active.delete(id)
        this.respond(id, outcome)
      })
  }

  private respond(id: number, outcome: { ok: true; result: unknown } | { ok: false; error: BerthErrorValue }): void {
    if (!this.closed) this.send(encodeJsonFrame(FrameType.RESPONSE, { id, ...outcome }))
  }

  private onResponse(v: Record<string, unknown>): void {
    if (typeof v.id !== 'number') return this.protocolError('a response needs a numeric id')
    if (v.ok === true) return this.settle(v.id, { ok: true, result: v.result })
    if (isBerthErrorValue(v.error)) return this.settle(v.id, { ok: false, error: v.error })
    this.settle(v.id, { ok: false, error: { code: 'PROTOCOL_ERROR', message: 'malformed response' } })
  }

  private settle(id: number, outcome: { ok: true; result: unknown } | { ok: false; error: BerthErrorValue }): void {
    const entry = this.pending.get(id)
    if (entry === undefined) return
    this.pending.delete(id)
    entry.cleanup()
    if (outcome.ok) entry.resolve(outcome.result)
    else entry.reject(BerthError.fromValue(outcome.error))
  }
}
