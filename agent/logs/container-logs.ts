/**
 * Reads a container's logs from the engine as a stream (never as one buffer, so a 100 MB log
 * is never held whole) and keeps at most a page's worth of its newest lines.
 */
import type Docker from 'dockerode'
import type { LogLine } from '../../protocol/schema'
import { LogDecoder, lineBytes } from './lines'

/** A page of logs stops growing at about this much text; its oldest lines give way. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024

export interface LogQuery {
  id: string
  tail: number
  /** The engine's "seconds.nanoseconds" (protocol/methods/logs.ts makes it). */
  since?: string | undefined
  until?: string | undefined
  timestamps: boolean
  follow: boolean
}

export interface LogSource {
  stream: NodeJS.ReadableStream & { destroy(): void }
  tty: boolean
}

/** Opens the engine's log stream for a container; rejects with the engine's 404 for an unknown one. */
export async function openLogStream(docker: Docker, query: LogQuery): Promise<LogSource> {
  const info = await docker.getContainer(query.id).inspect()
  const options: Record<string, unknown> = {
    stdout: true,
    stderr: true,
    follow: query.follow,
    tail: String(query.tail),
    timestamps: query.timestamps,
  }
  if (query.since !== undefined) options.since = query.since
  if (query.until !== undefined) options.until = query.until
  const stream = await new Promise<LogSource['stream']>((resolve, reject) => {
    // dial directly: dockerode's logs() buffers the whole answer unless it follows
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(info.Id)}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options,
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as LogSource['stream'])),
    )
  })
  return { stream, tty: info.Config?.Tty === true }
}

/** Reads a page of logs: the newest lines up to MAX_PAGE_BYTES, oldest first. */
export async function readLogs(
  docker: Docker,
  query: Omit<LogQuery, 'follow'>,
  signal: AbortSignal,
): Promise<{ lines: LogLine[]; truncated: boolean; tty: boolean }> {
  const { stream, tty } = await openLogStream(docker, { ...query, follow: false })
  const lines: LogLine[] = []
  let head = 0
  let bytes = 0
  let truncated = false
  const decoder = new LogDecoder(tty, query.timestamps, (line) => {
    lines.push(line)
    bytes += lineBytes(line)
    while (bytes > MAX_PAGE_BYTES && head < lines.length) {
      bytes -= lineBytes(lines[head]!)
      head++
      truncated = true
    }
    // compact now and then rather than shifting per line
    if (head > 10_000) {
      lines.splice(0, head)
      head = 0
    }
  })
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      stream.destroy()
      reject(new Error('cancelled'))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    stream.on('data', (chunk: Buffer) => decoder.push(chunk))
    stream.on('end', () => resolve())
    stream.on('close', () => resolve())
    stream.on('error', (err) => reject(err))
  })
  decoder.end()
  return { lines: lines.slice(head), truncated, tty }
}
