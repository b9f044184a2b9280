/**
 * A fake Docker Engine: an HTTP server on a unix socket in a temporary folder that answers the
 * Engine API routes the agent uses, from a small stateful model (fixtures shaped as Engine API
 * v1.41 returns them). Real dockerode talks to it exactly as it talks to dockerd, so the agent's
 * handlers run end to end: URLs, query strings, bodies, status codes, streams and hijacks.
 *
 * Routes are declared as `METHOD /path/{param}` (`{name*}` takes slashes too, as image names
 * have). A test can put its own answer in front of any route with `override`, and read what
 * the agent sent in `requests`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type EngineRequest, EngineFault, sendError } from './http'
import { seed } from './fixtures'
import { registerRoutes } from './routes'
import { EngineState } from './state'

export type RouteHandler = (req: EngineRequest, res: ServerResponse) => void | Promise<void>
/** A hijacked request (exec start, attach): the raw socket after the engine's 101 answer. */
export type HijackHandler = (req: EngineRequest, socket: Socket) => void | Promise<void>

interface Route<H> {
  method: string
  pattern: RegExp
  names: string[]
  handler: H
}

/** What the agent asked of the engine, for tests to check what went over the wire. */
export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: EngineRequest['headers']
  body: Buffer
}

function compile<H>(spec: string, handler: H): Route<H> {
  const [method, path] = spec.split(' ') as [string, string]
  const names: string[] = []
  const source = path.replace(/[.?]/g, '\\$&').replace(/\{(\w+)(\*?)\}/g, (_m, name: string, greedy: string) => {
    names.push(name)
    return greedy ? '(.+)' : '([^/]+)'
  })
  return { method, pattern: new RegExp(`^${source}$`), names, handler }
}

function match<H>(routes: Route<H>[], method: string, path: string): { route: Route<H>; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue
    const m = route.pattern.exec(path)
    if (!m) continue
    const params: Record<string, string> = {}
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)))
    return { route, params }
  }
  return undefined
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (c: Buffer) => parts.push(c))
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

/** The body of a hijacked request: Content-Length bytes from what came with the headers and after. */
function readHijackBody(req: IncomingMessage, socket: Socket, head: Buffer): Promise<Buffer> {
  const length = Number(req.headers['content-length'] ?? 0)
  return new Promise((resolve) => {
    let got = head
    const settle = (): boolean => {
      if (got.length < length) return false
      socket.off('data', more)
      if (got.length > length) socket.unshift(got.subarray(length))
      resolve(got.subarray(0, length))
      return true
    }
    const more = (chunk: Buffer): void => {
      got = Buffer.concat([got, chunk])
      settle()
    }
    if (!settle()) socket.on('data', more)
  })
}

export class FakeEngine {
  readonly state = new EngineState()
  readonly requests: RecordedRequest[] = []
  private readonly routes: Route<RouteHandler>[] = []
  private readonly overrides: Route<RouteHandler>[] = []
  private readonly hijacks: Route<HijackHandler>[] = []
  private readonly sockets = new Set<Socket>()
  private readonly server = createServer((req, res) => void this.handle(req, res))

  private constructor(
    readonly dir: string,
    readonly socketPath: string,
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.handleUpgrade(req, socket, head))
  }

  /** An engine with the fixtures' world (see fixtures.ts), answering on a fresh socket. */
  static async start(): Promise<FakeEngine> {
    const dir = mkdtempSync(join(tmpdir(), 'berth-fake-engine-'))
    const engine = new FakeEngine(dir, join(dir, 'docker.sock'))
    seed(engine.state)
    registerRoutes(engine)
    await new Promise<void>((resolve) => engine.server.listen(engine.socketPath, resolve))
    return engine
  }

  /** The endpoint as the agent describes it in its messages. */
  get endpoint(): string {
    return `unix://${this.socketPath}`
  }

  route(spec: string, handler: RouteHandler): void {
    this.routes.push(compile(spec, handler))
  }

  hijack(spec: string, handler: HijackHandler): void {
    this.hijacks.push(compile(spec, handler))
  }

  /** Answers `spec` with `handler` instead of the model, until the engine closes. */
  override(spec: string, handler: RouteHandler): void {
    this.overrides.unshift(compile(spec, handler))
  }

  /** Makes `spec` fail with the engine's status and message. */
  fail(spec: string, status: number, message: string): void {
    this.override(spec, (_req, res) => sendError(res, status, message))
  }

  /** Requests to paths matching `path` (a string prefix or a pattern), optionally of one method. */
  requested(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path.startsWith(path) : path.test(r.path)))
  }

  private parse(req: IncomingMessage): { method: string; path: string; query: URLSearchParams } {
    const url = new URL(req.url ?? '/', 'http://engine')
    // dockerd serves every route with and without a /v1.xx prefix
    return { method: req.method ?? 'GET', path: url.pathname.replace(/^\/v\d+\.\d+/, ''), query: url.searchParams }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, query } = this.parse(req)
    const body = await readBody(req)
    this.requests.push({ method, path, query, headers: req.headers, body })
    const found = match(this.overrides, method, path) ?? match(this.routes, method, path)
    if (!found) return sendError(res, 404, `page not found`)
    try {
      await found.route.handler({ method, path, query, headers: req.headers, params: found.params, body }, res)
    } catch (err) {
      if (res.headersSent) return void res.destroy()
      if (err instanceof EngineFault) return sendError(res, err.status, err.message)
      sendError(res, 500, err instanceof Error ? err.message : String(err))
    }
  }

  private async handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
    const { method, path, query } = this.parse(req)
    const body = await readHijackBody(req, socket, head)
    this.requests.push({ method, path, query, headers: req.headers, body })
    const found = match(this.hijacks, method, path)
    const refuse = (status: number, message: string): void => {
      const text = JSON.stringify({ message })
      socket.end(`HTTP/1.1 ${status} Error\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\n\r\n${text}`)
    }
    if (!found) return refuse(404, 'page not found')
    try {
      await found.route.handler({ method, path, query, headers: req.headers, params: found.params, body }, socket)
    } catch (err) {
      if (err instanceof EngineFault) refuse(err.status, err.message)
      else refuse(500, err instanceof Error ? err.message : String(err))
    }
  }

  /** Stops answering: open streams (events, logs, terminals) break as when dockerd stops. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Breaks every open connection without stopping: a stream the engine ends (a restart of dockerd's API). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy()
  }
}

/** The engine's 101 answer to a hijack; after it the socket carries the terminal both ways. */
export function upgraded(socket: Socket, contentType = 'application/vnd.docker.raw-stream'): void {
  socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`)
}
