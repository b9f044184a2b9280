/** Pieces every method table uses. Pure TypeScript (the renderer imports it). */
import * as z from 'zod'

export const PROTOCOL_VERSION = 1

/** Default time a request may take before the caller gives up with TIMEOUT. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export const errorValueSchema = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
})

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P
  result: R
  /** Overrides DEFAULT_REQUEST_TIMEOUT_MS for slow operations. */
  timeoutMs?: number
}

/**
 * A handler per method of a method table, typed from its schema: params as the schema parses
 * them, the result as the schema takes it. `Ctx` is what the caller hands beside the params
 * (the agent's RequestContext; the window calling, for main's own). A table that uses none
 * leaves it unknown, so it fits wherever a table with a context is wanted.
 */
export type HandlersFor<T extends Record<string, MethodSpec>, Ctx = unknown> = {
  [M in keyof T]: (params: z.output<T[M]['params']>, ctx: Ctx) => Promise<z.input<T[M]['result']>>
}

export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, timeoutMs?: number): MethodSpec<P, R> {
  return timeoutMs === undefined ? { params, result } : { params, result, timeoutMs }
}

export const empty = z.object({}).strict()

export const hostIdSchema = z.string().min(1).max(64)

/** A registry login as the engine takes it (X-Registry-Auth). Only main fills it in. */
export const registryAuthConfigSchema = z
  .object({
    username: z.string().min(1, 'enter the user name').max(256),
    password: z.string().min(1, 'enter the password or access token').max(4096),
    serveraddress: z.string().max(512),
  })
  .strict()
