/**
 * The browser shell: the built renderer and the core's API over a WebSocket, for the
 * end-to-end tests and for people who prefer a browser tab (`npm run web`).
 *
 * Bound to 127.0.0.1 only. A random token in the printed URL is exchanged for an HttpOnly,
 * SameSite=Strict cookie; every request and the WebSocket upgrade must carry it. The Host
 * header must name this server (DNS rebinding) and the WebSocket's Origin must be this
 * server (cross-site WebSocket hijacking).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import type { BerthCore } from '../core/core'
import { CONTENT_SECURITY_POLICY } from '../core/csp'
import { serveStatic } from './static-files'

const COOKIE = 'berth_token'
const MAX_MESSAGE_BYTES = 1024 * 1024

export interface WebShell {
  url: string
  port: number
  close(): Promise<void>
}

function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === COOKIE) return value.join('=')
  }
  return undefined
}

export async function startWebShell(core: BerthCore, options: { staticDir: string; port?: number }): Promise<WebShell> {
  const token = randomBytes(32).toString('base64url')
  let port = 0
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]

  const server = createServer((req, res) => void handleHttp(req, res))
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cache-Control', 'no-store')
    if (!allowedHosts().includes(req.headers.host ?? '')) return void res.writeHead(421).end('wrong host')
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    const offered = url.searchParams.get('token') ?? undefined
    if (offered !== undefined && sameToken(offered, token)) {
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
      return void res.writeHead(302, { Location: '/' }).end()
    }
    if (!sameToken(cookieToken(req), token)) {
      return void res
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Berth: open the address printed by `npm run web`: it carries the access token.\n')
    }
    if (req.method !== 'GET') return void res.writeHead(405).end()
    await serveStatic(options.staticDir, url.pathname, res)
  }

  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin ?? ''
    const ok =
      req.url === '/api' &&
      allowedHosts().includes(req.headers.host ?? '') &&
      allowedHosts().some((h) => origin === `http://${h}`) &&
      sameToken(cookieToken(req), token)
    if (!ok) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws))
  })

  let sockets = 0
  function serveSocket(ws: WebSocket): void {
    // each browser tab is one client of the core: what it subscribed to ends when it goes
    const client = `web-${++sockets}`
    const off = core.onEvent((event, payload) => ws.send(JSON.stringify({ t: 'event', event, payload })))
    ws.on('close', () => {
      off()
      void core.clientGone(client)
    })
    ws.on('message', async (data, isBinary) => {
      let msg: { t?: unknown; id?: unknown; method?: unknown; params?: unknown }
      try {
        if (isBinary) throw new Error('binary')
        msg = JSON.parse(data.toString())
      } catch {
        return ws.send(JSON.stringify({ t: 'error', error: { code: 'PROTOCOL_ERROR', message: 'messages are JSON text' } }))
      }
      if (msg.t !== 'invoke' || typeof msg.id !== 'number' || typeof msg.method !== 'string') {
        return ws.send(JSON.stringify({ t: 'error', error: { code: 'PROTOCOL_ERROR', message: 'expected {t:"invoke", id, method, params}' } }))
      }
      const envelope = await core.invoke(msg.method, msg.params, client)
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id: msg.id, ...envelope }))
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
