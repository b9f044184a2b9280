/**
 * The browser shell: the built renderer and the core's API over a WebSocket, for the
 * end-to-end tests and for people who prefer a browser tab (`npm run web`).
 *
 * Bound to 127.0.0.1 only. The printed URL carries a one-time login token, exchanged for a
 * session id in an HttpOnly, SameSite=Strict cookie (web-sessions.ts); every request and the
 * WebSocket upgrade must carry that. The Host header must name this server (DNS rebinding) and
 * the WebSocket's Origin must be this server (cross-site WebSocket hijacking). Nothing here logs
 * a request's address, so neither token nor session id reaches a log.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import type { BerthCore } from '../core/core'
import { CONTENT_SECURITY_POLICY } from '../core/csp'
import { serveStatic } from './static-files'
import { WebSessions } from './web-sessions'

const MAX_MESSAGE_BYTES = 1024 * 1024
/**
 * A tab that reads its socket slower than the core writes (a flood of terminal output or
 * events to a frozen tab) is cut loose past this much unsent data rather than held in memory;
 * its page reconnects and fetches afresh, as after any dropped socket.
 */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024

export interface WebShell {
  /** The first login address (its token works once). */
  url: string
  port: number
  /** A new one-time login address, for another browser or after the first was used. */
  loginUrl(): string
  close(): Promise<void>
}

export interface WebShellOptions {
  staticDir: string
  port?: number
  /** How long a session may sit unused (no request, no socket) before it must log in again. */
  sessionIdleMs?: number
}

export async function startWebShell(core: BerthCore, options: WebShellOptions): Promise<WebShell> {
  let port = 0
  // the cookie is named after the port, known once the server listens
  const sessions = new WebSessions(() => `berth_session_${port}`, options.sessionIdleMs)
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]

  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end('internal error')
    })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cache-Control', 'no-store')
    if (!allowedHosts().includes(req.headers.host ?? '')) return void res.writeHead(421).end('wrong host')
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    const offered = url.searchParams.get('token') ?? undefined
    const cookie = offered !== undefined ? sessions.login(offered) : undefined
    if (cookie) {
      res.setHeader('Set-Cookie', cookie)
      return void res.writeHead(302, { Location: '/' }).end()
    }
    if (!sessions.check(req)) {
      const why = offered !== undefined ? 'That address was already used or is not valid: each works once. ' : ''
      return void res
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(`Berth: ${why}Open a new address printed by \`npm run web\` (press Enter there for another): it carries a one-time access token.\n`)
    }
    if (req.method !== 'GET') return void res.writeHead(405).end()
    await serveStatic(options.staticDir, url.pathname, res)
  }

  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin ?? ''
    const session =
      req.url === '/api' && allowedHosts().includes(req.headers.host ?? '') && allowedHosts().some((h) => origin === `http://${h}`)
        ? sessions.check(req)
        : undefined
    if (!session) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    const closed = sessions.socketOpened(session)
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, closed))
  })

  let sockets = 0
  function serveSocket(ws: WebSocket, closed: () => void): void {
    // each browser tab is one client of the core: what it subscribed to ends when it goes
    const client = `web-${++sockets}`
    const send = (message: unknown): void => {
      if (ws.readyState !== ws.OPEN) return
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.close(1013, 'this tab fell too far behind; reconnecting')
      ws.send(JSON.stringify(message))
    }
    const off = core.onEvent((event, payload) => send({ t: 'event', event, payload }))
    ws.on('close', () => {
      off()
      closed()
      void core.clientGone(client)
    })
    ws.on('message', async (data, isBinary) => {
      let msg: { t?: unknown; id?: unknown; method?: unknown; params?: unknown }
      try {
        if (isBinary) throw new Error('binary')
        msg = JSON.parse(data.toString())
      } catch {
        return send({ t: 'error', error: { code: 'PROTOCOL_ERROR', message: 'messages are JSON text' } })
      }
      // JSON that is no object (null, a number) is no call either
      if (typeof msg !== 'object' || msg === null || msg.t !== 'invoke' || typeof msg.id !== 'number' || typeof msg.method !== 'string') {
        return send({ t: 'error', error: { code: 'PROTOCOL_ERROR', message: 'expected {t:"invoke", id, method, params}' } })
      }
      const envelope = await core.invoke(msg.method, msg.params, client)
      send({ t: 'result', id: msg.id, ...envelope })
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const loginUrl = (): string => `http://127.0.0.1:${port}/?token=${sessions.newLoginToken()}`
  return {
    port,
    url: loginUrl(),
    loginUrl,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
