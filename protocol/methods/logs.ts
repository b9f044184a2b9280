/**
 * logs: a page of a container's logs (logs.read) and live following (logs.follow with
 * logs.lines / logs.ended events). Lines travel as text split per line, each marked with
 * the stream it came from, so the renderer never has to demultiplex anything.
 */
import * as z from 'zod'
import type { MethodSpec } from './common'
import { method } from './common'
import { containerRefSchema } from './containers'

/** The most lines a page or a follow's backlog may ask for. */
export const MAX_LOG_TAIL_LINES = 100_000
export const DEFAULT_LOG_TAIL_LINES = 1000

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/
const ENGINE_TIME = /^\d+\.\d{9}$/

/**
 * Unix seconds, or an RFC 3339 time, as `docker logs --since` takes them; sent on as the
 * engine's "seconds.nanoseconds", always with nine digits (the engine reads them as
 * nanoseconds: 1.5 would mean 1 s and 5 ns). Kept as text to the nanosecond: the engine stamps lines in
 * nanoseconds, and a time rounded to the millisecond (Date.parse) lets in lines written
 * just before it.
 */
export function toEngineTime(t: number | string): string | null {
  // already in the engine's form: params are validated once in main and again in the agent
  if (typeof t === 'string' && ENGINE_TIME.test(t)) return t
  if (typeof t === 'number') {
    const whole = Math.floor(t)
    const nanos = Math.min(999_999_999, Math.round((t - whole) * 1e9))
    return `${whole}.${String(nanos).padStart(9, '0')}`
  }
  const match = RFC3339.exec(t)
  if (!match) return null
  const fraction = match[2] ?? ''
  const ms = Date.parse(fraction ? t.replace(fraction, '') : t)
  if (Number.isNaN(ms)) return null
  return `${Math.floor(ms / 1000)}.${fraction.slice(1).padEnd(9, '0').slice(0, 9)}`
}

const asNanos = (engineTime: string): bigint => {
  const [whole = '0', nanos = '0'] = engineTime.split('.')
  return BigInt(whole) * 1_000_000_000n + BigInt(nanos)
}

export const logTimeSchema = z
  .union([
    z.number().nonnegative('a log time in unix seconds is not negative'),
    z
      .string()
      .refine((t) => RFC3339.test(t) || ENGINE_TIME.test(t), 'a log time is unix seconds or an RFC 3339 time such as 2026-01-31T12:00:00Z'),
  ])
  .transform((t, ctx) => {
    const engineTime = toEngineTime(t)
    if (engineTime === null) {
      ctx.addIssue({ code: 'custom', message: `${t} is not a valid time` })
      return z.NEVER
    }
    return engineTime
  })

const tailSchema = z
  .number()
  .int('tail is a whole number of lines')
  .min(0, 'tail is at least 0 lines')
  .max(MAX_LOG_TAIL_LINES, `tail is at most ${MAX_LOG_TAIL_LINES} lines`)

export const logLineSchema = z.object({
  stream: z.enum(['stdout', 'stderr']),
  /** RFC 3339 with nanoseconds, as the engine stamps it; only when timestamps were asked for. */
  time: z.string().optional(),
  text: z.string(),
})
export type LogLine = z.infer<typeof logLineSchema>

const logQuery = {
  id: containerRefSchema,
  since: logTimeSchema.optional(),
  timestamps: z.boolean().default(false),
}

export const logReadParamsSchema = z
  .object({ ...logQuery, tail: tailSchema.default(DEFAULT_LOG_TAIL_LINES), until: logTimeSchema.optional() })
  .strict()
  .refine((p) => p.since === undefined || p.until === undefined || asNanos(p.since) <= asNanos(p.until), {
    message: 'since must not be later than until',
  })

export const followIdSchema = z.string().min(1).max(64)

export const logMethods = {
  'logs.read': method(
    logReadParamsSchema,
    z.object({
      lines: z.array(logLineSchema),
      /** True when the page was over the size cap and its oldest lines were left out. */
      truncated: z.boolean(),
      /** A TTY container's log is one stream: all of it is marked stdout. */
      tty: z.boolean(),
    }),
    60_000,
  ),
  'logs.follow': method(
    z.object({ ...logQuery, tail: tailSchema.default(100) }).strict(),
    z.object({ followId: followIdSchema, tty: z.boolean() }),
  ),
  'logs.unfollow': method(z.object({ followId: followIdSchema }).strict(), z.object({ stopped: z.boolean() })),
} satisfies Record<string, MethodSpec>

export const logEvents = {
  'logs.lines': z.object({
    followId: followIdSchema,
    lines: z.array(logLineSchema),
    /** Lines left out of this batch because the container wrote faster than the link may carry. */
    skipped: z.number().int().nonnegative().optional(),
  }),
  'logs.ended': z.object({
    followId: followIdSchema,
    reason: z.enum(['stopped', 'removed', 'ended', 'error']),
    message: z.string().optional(),
  }),
} satisfies Record<string, z.ZodObject>
