/** volume-files: (being written) */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const volumeFileMethods = {} satisfies Record<string, MethodSpec>

export const volumeFileEvents = {} satisfies Record<string, z.ZodObject>
