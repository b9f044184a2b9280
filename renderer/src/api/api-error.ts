import type { ErrorCode } from '../../../protocol/errors'
import type { WireError } from './transport'

/**
 * Thrown by the api client when the core answers `ok: false`. Components show `message` and
 * branch on `code`; `detail` carries structured extras (e.g. both fingerprints for HOST_KEY_CHANGED).
 */
export class ApiError extends Error {
  // the wire may carry codes newer than this build knows: keep them rather than erase them
  readonly code: ErrorCode | (string & {})
  readonly detail: Record<string, unknown> | undefined

  constructor(code: string, message: string, detail?: Record<string, unknown>) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.detail = detail
  }

  static fromWire(error: WireError): ApiError {
    return new ApiError(error.code, error.message, error.detail)
  }
}

/** The plain-data form stores keep: serialisable, and easy to set up in tests. */
export interface ErrorView {
  code: string
  message: string
  detail?: Record<string, unknown>
}

export function toErrorView(err: unknown): ErrorView {
  if (err instanceof ApiError) {
    return err.detail === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, detail: err.detail }
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}
