/** volumes: methods and events (filled in by the volumes work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const volumeMethods = {} satisfies Record<string, MethodSpec>

export const volumeEvents = {} satisfies Record<string, z.ZodObject>
