/**
 * The browser shell's transport: one WebSocket to `/api` on the page's own origin. The page
 * was opened with a token that the server already turned into a cookie, so the socket needs
 * no credentials of its own.
 *
 * Frames are JSON text:
 *   client -> server  {"t":"invoke","id":1,"method":"hosts.list","params":{}}
 *   server -> client  {"t":"result","id":1,"ok":true,"result":...}
 *                     {"t":"result","id":1,"ok":false,"error":{"code","message","detail?"}}
 *                     {"t":"event","event":"host.stateChanged","payload":...}
 *
 * Invokes wait in a queue until the socket is open. When it closes, every invoke still waiting
 * fails with UNREACHABLE (the core may or may not have run it; only the caller can judge), and
 * the socket reconnects with backoff. Invokes are never replayed on a new socket: a repeated
 * `containers.stop` is not something to do behind the user's back.
 */
import type { ConnectionAware, Envelope, Transport, WireError } from './transport'

const RECONNECT_MIN_MS = 250
const RECONNECT_MAX_MS = 5_000

/** The part of the WebSocket API this transport uses, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface WsTransportOptions {
  url?: string
  createSocket?: (url: string) => SocketLike
}

interface Pending {
  method: string
  frame: string
  sent: boolean
  resolve(envelope: Envelope): void
}

export function defaultApiUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/api`
}

export class WsTransport implements Transport, ConnectionAware {
  private readonly url: string
  private readonly createSocket: (url: string) => SocketLike
  private socket: SocketLike | null = null
  private open = false
  private disposed = false
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private readonly connectionListeners = new Set<(connected: boolean) => void>()
  private reconnectMs = RECONNECT_MIN_MS
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined
  /** What listeners were last told, so each change is reported once however many retries fail. */
  private reported: boolean | undefined

  constructor(options: WsTransportOptions = {}) {
    this.url = options.url ?? defaultApiUrl()
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike)
    this.connect()
  }

  get connected(): boolean {
    return this.open
  }

  invoke(method: string, params: unknown): Promise<Envelope> {
    if (this.disposed) return Promise.resolve(unreachable(`Berth's connection is closed; ${method} was not sent`))
    const id = this.nextId++
    let frame: string
    try {
      frame = JSON.stringify({ t: 'invoke', id, method, params })
    } catch (err) {
      return Promise.resolve({
        ok: false,
        error: { code: 'INVALID_INPUT', message: `${method}: parameters cannot be sent (${String(err)})` },
      })
    }
    return new Promise<Envelope>((resolve) => {
      const entry: Pending = { method, frame, sent: false, resolve }
      this.pending.set(id, entry)
      if (this.open) this.send(entry)
    })
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
    }
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener)
    return () => {
      this.connectionListeners.delete(listener)
    }
  }

  /** Closes for good: no reconnect, pending invokes fail. */
  dispose(): void {
    this.disposed = true
    clearTimeout(this.reconnectTimer)
    const socket = this.socket
    this.socket = null
    this.open = false
    socket?.close()
    this.failPending()
  }

  private connect(): void {
    this.reconnectTimer = undefined
    if (this.disposed) return
    let socket: SocketLike
    try {
      socket = this.createSocket(this.url)
    } catch {
      this.handleClose()
      return
    }
    this.socket = socket
    socket.onopen = () => {
      if (socket !== this.socket) return
      this.open = true
      this.reconnectMs = RECONNECT_MIN_MS
      this.notifyConnection(true)
      for (const entry of this.pending.values()) if (!entry.sent) this.send(entry)
    }
    socket.onmessage = (event) => {
      if (socket === this.socket) this.receive(event.data)
    }
    socket.onclose = () => {
      if (socket === this.socket) this.handleClose()
    }
    // a failed socket also fires close, which does the work
    socket.onerror = () => {}
  }

  private send(entry: Pending): void {
    entry.sent = true
    try {
      this.socket?.send(entry.frame)
    } catch {
      // the close event that follows fails this invoke with the others
    }
  }

  private handleClose(): void {
    this.socket = null
    this.open = false
    this.failPending()
    // a first attempt that never opened is reported too: the user should know why nothing loads
    this.notifyConnection(false)
    if (this.disposed) return
    this.reconnectTimer = setTimeout(() => this.connect(), this.reconnectMs)
    this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS)
  }

  private failPending(): void {
    const entries = [...this.pending.values()]
    this.pending.clear()
    for (const entry of entries) {
      entry.resolve(
        unreachable(
          entry.sent
            ? `Connection to Berth lost before ${entry.method} finished; it may or may not have run`
            : `Connection to Berth lost; ${entry.method} was not sent`,
        ),
      )
    }
  }

  private receive(data: unknown): void {
    let frame: unknown
    try {
      frame = typeof data === 'string' ? JSON.parse(data) : undefined
    } catch {
      frame = undefined
    }
    if (!isRecord(frame)) {
      console.warn('berth: ignoring a malformed frame from the server')
      return
    }
    if (frame.t === 'result' && typeof frame.id === 'number') {
      const entry = this.pending.get(frame.id)
      if (!entry) return
      this.pending.delete(frame.id)
      entry.resolve(toEnvelope(frame))
    } else if (frame.t === 'error') {
      // the server could not read one of our frames; the invoke it belonged to is unknown
      console.warn('berth: the server rejected a frame', frame.error)
    } else if (frame.t === 'event' && typeof frame.event === 'string') {
      for (const listener of [...(this.listeners.get(frame.event) ?? [])]) {
        try {
          listener(frame.payload)
        } catch (err) {
          // one broken listener must not starve the others of the event
          console.error(`berth: a listener for ${frame.event} failed`, err)
        }
      }
    }
  }

  private notifyConnection(connected: boolean): void {
    if (connected === this.reported) return
    this.reported = connected
    for (const listener of [...this.connectionListeners]) listener(connected)
  }
}

function toEnvelope(frame: Record<string, unknown>): Envelope {
  if (frame.ok === true) return { ok: true, result: frame.result }
  const error = frame.error
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    const wire: WireError = { code: error.code, message: error.message }
    if (isRecord(error.detail)) wire.detail = error.detail
    return { ok: false, error: wire }
  }
  return { ok: false, error: { code: 'PROTOCOL_ERROR', message: 'Berth sent an error without a code or message' } }
}

function unreachable(message: string): Envelope {
  return { ok: false, error: { code: 'UNREACHABLE', message } }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
