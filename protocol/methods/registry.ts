/** registry: methods and events (filled in by the registry work). */
import type { z } from 'zod'
import type { MethodSpec } from './common'

export const registryMethods = {} satisfies Record<string, MethodSpec>

export const registryEvents = {} satisfies Record<string, z.ZodObject>
