/** container-run: methods and events (filled in by the container-run work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const containerRunMethods = {} satisfies Record<string, MethodSpec>

export const containerRunEvents = {} satisfies Record<string, z.ZodObject>
