/** logs: methods and events (filled in by the logs work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const logMethods = {} satisfies Record<string, MethodSpec>

export const logEvents = {} satisfies Record<string, z.ZodObject>
