/** stats: (being written) */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const statMethods = {} satisfies Record<string, MethodSpec>

export const statEvents = {} satisfies Record<string, z.ZodObject>
