/** Containers: their shapes, the agent's containers.* methods and container events. */
import { z } from 'zod'
import { method } from './common'

export const containerStates = ['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing'] as const
export const containerStateSchema = z.enum(containerStates)
export type ContainerState = z.infer<typeof containerStateSchema>

/** A container id or name, as `docker` accepts it. */
export const containerRefSchema = z
  .string()
  .min(1, 'a container id or name is required')
  .max(256, 'a container id or name is at most 256 characters')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container id or name has only letters, digits, _ . and -')

export const containerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  command: z.string(),
  state: containerStateSchema,
  /** The engine's human status, e.g. "Exited (3) 2 minutes ago". */
  status: z.string(),
  /** Set for exited and dead containers. */
  exitCode: z.number().int().nullable(),
  /** Unix seconds. */
  created: z.number(),
})
export type ContainerSummary = z.infer<typeof containerSummarySchema>

export const containerChangeSchema = z.object({
  id: z.string(),
  /** The engine's event action: start, die, stop, pause, destroy, ... */
  action: z.string(),
  /** The container as it is now; null once it has been removed. */
  container: containerSummarySchema.nullable(),
})
export type ContainerChange = z.infer<typeof containerChangeSchema>

export const containerMethods = {
  'containers.list': method(z.object({}).strict(), z.array(containerSummarySchema)),
  'containers.start': method(z.object({ id: containerRefSchema }).strict(), z.object({ id: z.string() })),
  'containers.stop': method(
    z
      .object({
        id: containerRefSchema,
        /** Seconds the engine waits after SIGTERM before it kills (docker stop -t). */
        timeoutSeconds: z.number().int().min(0).max(600).optional(),
      })
      .strict(),
    z.object({ id: z.string() }),
    // the engine may wait the full stop timeout before it kills
    660_000,
  ),
}

export const containerEvents = {
  'container.stateChanged': containerChangeSchema,
}
