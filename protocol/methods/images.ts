/** images: methods and events (filled in by the images work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const imageMethods = {} satisfies Record<string, MethodSpec>

export const imageEvents = {} satisfies Record<string, z.ZodObject>
