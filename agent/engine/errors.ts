/**
 * Maps dockerode's errors (which keep the engine's HTTP statusCode) and socket errors to
 * Berth's closed set of error codes, keeping the engine's own message.
 */
import { BerthError } from '../../protocol/errors'

interface EngineLikeError {
  statusCode?: number
  code?: string
  message?: string
  json?: { message?: string } | null
  reason?: string
}

/**
 * The engine's own words. For a streamed call (build, load, import, save, export, logs, pull)
 * dockerode has no `json` and keeps them only inside its message:
 * "(HTTP code 500) server error - <the engine's message> ".
 */
export function engineMessage(err: EngineLikeError): string {
  const fromJson = err.json && typeof err.json === 'object' ? err.json.message : undefined
  if (fromJson) return fromJson.trim()
  const streamed = /^\(HTTP code \d+\) [^-]*- ([\s\S]*\S)\s*$/.exec(err.message ?? '')
  return (streamed?.[1] ?? err.reason ?? err.message ?? 'unknown engine error').trim()
}

export function mapEngineError(err: unknown, endpoint: string): BerthError {
  if (err instanceof BerthError) return err
  const e = (err ?? {}) as EngineLikeError
  const message = engineMessage(e)
  switch (e.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
      return new BerthError('ENGINE_UNAVAILABLE', `the container engine at ${endpoint} is not answering (${e.code})`)
    case 'EACCES':
      return new BerthError(
        'PERMISSION_DENIED',
        `no permission to use the engine socket ${endpoint}: add the user to the docker group`,
      )
  }
  switch (e.statusCode) {
    case 400:
      return new BerthError('INVALID_INPUT', message)
    case 401:
    case 403:
      return new BerthError('PERMISSION_DENIED', message)
    case 404:
      return new BerthError('NOT_FOUND', message)
    case 409:
      return new BerthError('CONFLICT', message)
    case 500:
    case 502:
    case 503:
      return new BerthError('INTERNAL', `the engine failed: ${message}`)
  }
  return new BerthError('INTERNAL', message)
}

/** The engine answers 304 Not Modified to start/stop on a container already in that state. */
export function isNotModified(err: unknown): boolean {
  return (err as EngineLikeError | undefined)?.statusCode === 304
}
