/** Runtime validation at every boundary, with messages that name the field and the problem. */
import type { z } from 'zod'
import { BerthError } from './errors'

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

/** Parses `value` with `schema`, or throws INVALID_INPUT naming what is wrong. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {})
  if (!parsed.success) throw new BerthError('INVALID_INPUT', `invalid ${what}: ${describeIssues(parsed.error)}`)
  return parsed.data
}
