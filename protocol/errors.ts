/**
 * Errors cross every boundary (agent -> main -> renderer) as plain values, because Error
 * instances lose everything but their message over Electron IPC and JSON.
 * The set of codes is closed: the UI decides what to show from the code alone.
 */
export const errorCodes = [
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_INPUT',
  'ENGINE_UNAVAILABLE',
  'AUTH_FAILED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'UNREACHABLE',
  'TIMEOUT',
  'CANCELLED',
  'VERSION_MISMATCH',
  'PROTOCOL_ERROR',
  'PERMISSION_DENIED',
  'UNSUPPORTED',
  'INTERNAL',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export interface BerthErrorValue {
  code: ErrorCode
  message: string
  detail?: Record<string, unknown>
}

/** An Error that carries a BerthErrorValue, for use inside one process. */
export class BerthError extends Error {
  readonly code: ErrorCode
  readonly detail?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message)
    this.name = 'BerthError'
    this.code = code
    if (detail !== undefined) this.detail = detail
  }

  toValue(): BerthErrorValue {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail }
  }

  static fromValue(value: BerthErrorValue): BerthError {
    return new BerthError(value.code, value.message, value.detail)
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value)
}

export function isBerthErrorValue(value: unknown): value is BerthErrorValue {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return isErrorCode(v.code) && typeof v.message === 'string'
}

/** Turns anything thrown into a value; unknown errors become INTERNAL with their message. */
export function toErrorValue(err: unknown): BerthErrorValue {
  if (err instanceof BerthError) return err.toValue()
  if (isBerthErrorValue(err)) return err
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message }
}
