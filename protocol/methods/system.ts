/** system: methods and events (filled in by the system work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const systemMethods = {} satisfies Record<string, MethodSpec>

export const systemEvents = {} satisfies Record<string, z.ZodObject>
