/**
 * Who may use the browser shell. The address printed by `npm run web` carries a one-time login
 * token: the first request that shows it gets a separate random session id in a cookie, and the
 * token is spent, so an address left in a terminal's scrollback or a shell history opens nothing.
 * Sessions expire after a while with no request and no open WebSocket.
 *
 * The cookie's name carries the port: two shells on one machine (two ports of 127.0.0.1 share
 * one cookie jar) never overwrite each other's sessions.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A session with no request and no open socket for this long must log in again. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000
/** Unspent login tokens kept at most; asking for more forgets the oldest. */
const MAX_LOGIN_TOKENS = 16

const secret = (): string => randomBytes(32).toString('base64url')

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

interface Session {
  lastSeen: number
  sockets: number
}

export class WebSessions {
  private readonly tokens: string[] = []
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly cookie: () => string,
    private readonly idleMs = SESSION_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new one-time token for a login address. */
  newLoginToken(): string {
    const token = secret()
    this.tokens.push(token)
    if (this.tokens.length > MAX_LOGIN_TOKENS) this.tokens.shift()
    return token
  }

  /** Spends a login token: the new session's Set-Cookie value, or undefined when the token is not (or no longer) valid. */
  login(offered: string): string | undefined {
    const index = this.tokens.findIndex((t) => same(t, offered))
    if (index < 0) return undefined
    this.tokens.splice(index, 1)
    const id = secret()
    this.sessions.set(id, { lastSeen: this.now(), sockets: 0 })
    return `${this.cookie()}=${id}; HttpOnly; SameSite=Strict; Path=/`
  }

  /** The request's live session id, refreshed; undefined when it has none or it expired. */
  check(req: IncomingMessage): string | undefined {
    this.sweep()
    const offered = cookieValue(req, this.cookie())
    if (offered === undefined) return undefined
    for (const [id, session] of this.sessions) {
      if (same(id, offered)) {
        session.lastSeen = this.now()
        return id
      }
    }
    return undefined
  }

  /** A WebSocket of the session opened: the session is in use until it closes. */
  socketOpened(id: string): () => void {
    const session = this.sessions.get(id)
    if (session) session.sockets++
    return () => {
      if (!session) return
      session.sockets--
      session.lastSeen = this.now()
    }
  }

  private sweep(): void {
    const now = this.now()
    for (const [id, s] of this.sessions) if (s.sockets === 0 && now - s.lastSeen > this.idleMs) this.sessions.delete(id)
  }
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}
