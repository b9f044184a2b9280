/** networks: methods and events (filled in by the networks work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const networkMethods = {} satisfies Record<string, MethodSpec>

export const networkEvents = {} satisfies Record<string, z.ZodObject>
