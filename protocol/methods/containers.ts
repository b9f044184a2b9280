/** Containers: their shapes, the agent's containers.* methods and container events. */
import * as z from 'zod'
import { method } from './common'
import { containerDetailsSchema } from './container-details'

export * from './container-details'

export const containerStates = ['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing'] as const
export const containerStateSchema = z.enum(containerStates)
export type ContainerState = z.infer<typeof containerStateSchema>

/** A container id or name, as `docker` accepts it. */
export const containerRefSchema = z
  .string()
  .min(1, 'a container id or name is required')
  .max(256, 'a container id or name is at most 256 characters')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container id or name has only letters, digits, _ . and -')

/** A new container name, with the engine's own rule, so a bad one is refused before anything is sent. */
export const containerNameSchema = z
  .string()
  .min(2, 'a container name has at least 2 characters')
  .max(255, 'a container name is at most 255 characters')
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/,
    'a container name starts with a letter or digit and has only letters, digits, _ . and -',
  )

/** Linux signal names as `docker kill -s` takes them (without the SIG prefix). */
const signalNames = new Set([
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'IOT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM',
  'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH',
  'IO', 'POLL', 'PWR', 'SYS', 'RTMIN', 'RTMAX',
])
const MAX_SIGNAL_NUMBER = 64

/** Normalizes "term", "SIGTERM" and "15" the way `docker kill -s` reads them; null if it is no signal. */
export function normalizeSignal(input: string): string | null {
  const s = input.trim().toUpperCase()
  if (/^\d+$/.test(s)) {
    const n = Number(s)
    return n >= 1 && n <= MAX_SIGNAL_NUMBER ? String(n) : null
  }
  const name = s.replace(/^SIG/, '')
  if (signalNames.has(name) || /^RTMIN\+([1-9]|1[0-5])$/.test(name) || /^RTMAX-([1-9]|1[0-4])$/.test(name)) return `SIG${name}`
  return null
}

export const signalSchema = z
  .string()
  .max(16, 'a signal is a name like SIGTERM or a number from 1 to 64')
  .refine((s) => normalizeSignal(s) !== null, {
    message: 'a signal is a name like SIGTERM, SIGHUP or KILL, or a number from 1 to 64',
  })
  .transform((s) => normalizeSignal(s)!)

export const containerHealthSchema = z.enum(['starting', 'healthy', 'unhealthy'])
export type ContainerHealth = z.infer<typeof containerHealthSchema>

export const containerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  command: z.string(),
  state: containerStateSchema,
  /** The engine's human status, e.g. "Exited (3) 2 minutes ago" or "Up 3 hours (healthy)". */
  status: z.string(),
  /** Set for exited and dead containers. */
  exitCode: z.number().int().nullable(),
  /** Unix seconds. */
  created: z.number(),
  /** As `docker ps` shows them: "0.0.0.0:8080->80/tcp" when published, "80/tcp" when only exposed. */
  ports: z.array(z.string()).optional(),
  /** Only for containers with a health check; the list API gives it inside Status. */
  health: containerHealthSchema.nullable().optional(),
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

const ref = z.object({ id: containerRefSchema }).strict()
const done = z.object({ id: z.string() })
/** Seconds the engine waits after SIGTERM before it kills (docker stop -t / docker restart -t). */
const stopTimeoutSeconds = z.number().int().min(0, 'the timeout is 0 seconds or more').max(600, 'the timeout is at most 600 seconds')
// the engine may wait the full stop timeout before it kills
const STOP_DEADLINE_MS = 660_000

export const containerMethods = {
  'containers.list': method(z.object({}).strict(), z.array(containerSummarySchema)),
  'containers.inspect': method(ref, containerDetailsSchema),
  'containers.start': method(ref, done),
  'containers.stop': method(ref.extend({ timeoutSeconds: stopTimeoutSeconds.optional() }).strict(), done, STOP_DEADLINE_MS),
  'containers.restart': method(ref.extend({ timeoutSeconds: stopTimeoutSeconds.optional() }).strict(), done, STOP_DEADLINE_MS),
  /** `docker kill`: SIGKILL unless a signal is given. */
  'containers.kill': method(ref.extend({ signal: signalSchema.optional() }).strict(), done),
  'containers.pause': method(ref, done),
  'containers.unpause': method(ref, done),
  'containers.rename': method(ref.extend({ name: containerNameSchema }).strict(), z.object({ id: z.string(), name: z.string() })),
  /** `docker rm`, with -f (force) and -v (removeVolumes: the container's anonymous volumes). */
  'containers.remove': method(
    ref.extend({ force: z.boolean().optional(), removeVolumes: z.boolean().optional() }).strict(),
    done,
    // a forced remove kills first; that and unmounting can take a while on a busy host
    120_000,
  ),
}

export const containerEvents = {
  'container.stateChanged': containerChangeSchema,
}
