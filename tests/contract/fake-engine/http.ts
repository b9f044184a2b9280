/**
 * How the Docker Engine answers over HTTP, for the fake engine's routes: JSON bodies, errors as
 * `{"message": ...}` with the engine's status, JSON-lines progress streams, raw streams.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'

/** What a route sees of a request: the path without the API version prefix, the query, the body. */
export interface EngineRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** Path parameters named in the route pattern, decoded. */
  params: Record<string, string>
  body: Buffer
}

/** Thrown by a route (or the state it uses) to answer with the engine's status and words. */
export class EngineFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The request body as JSON; an empty body is `{}` as the engine reads it. */
export function jsonBody<T = Record<string, unknown>>(req: EngineRequest): T {
  return (req.body.length ? JSON.parse(req.body.toString('utf8')) : {}) as T
}

/** A query value the engine takes as JSON (filters, buildargs, labels); `{}` when absent. */
export function jsonQuery<T = Record<string, string[]>>(req: EngineRequest, name: string): T {
  const raw = req.query.get(name)
  return (raw ? JSON.parse(raw) : {}) as T
}

/** Docker's boolean query values: "1", "true" and "True" are true. */
export function flag(req: EngineRequest, name: string): boolean {
  const v = req.query.get(name)
  return v !== null && ['1', 'true', 'True'].includes(v)
}

const SERVER_HEADERS = { Server: 'Docker/20.10.24 (linux)', 'Api-Version': '1.41', 'Ostype': 'linux' }

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...SERVER_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text + '\n') })
  res.end(text + '\n')
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { message })
}

/** 204 No Content, the engine's answer to start, stop, kill and friends. */
export function sendNoContent(res: ServerResponse, status = 204): void {
  res.writeHead(status, SERVER_HEADERS)
  res.end()
}

/** Starts a streamed answer (progress lines, logs, tars): chunked, with the given content type. */
export function startStream(res: ServerResponse, contentType: string): void {
  res.writeHead(200, { ...SERVER_HEADERS, 'Content-Type': contentType })
  res.flushHeaders()
}

/**
 * A JSON-lines progress answer, one object per line as the engine writes pulls, pushes, builds
 * and loads. With `gapMs` each line goes out on its own, as they trickle in from a registry.
 */
export async function sendJsonLines(res: ServerResponse, lines: unknown[], gapMs = 0): Promise<void> {
  startStream(res, 'application/json')
  for (const line of lines) {
    if (res.destroyed) return
    res.write(`${JSON.stringify(line)}\r\n`)
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs))
  }
  res.end()
}

/** One frame of the engine's multiplexed stdout/stderr stream (non-TTY logs and attach). */
export function muxFrame(stream: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text) : text
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

export type { IncomingHttpHeaders }
