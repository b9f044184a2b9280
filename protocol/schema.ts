/**
 * The one declaration of every method and event in Berth. TypeScript types and runtime
 * validation both come from these objects, so the agent, main and renderer cannot drift.
 * Pure TypeScript: no node:, electron, vue or ssh2 imports (the renderer imports this).
 *
 * - agentMethods: served by the agent on each host. The renderer calls them with an extra
 *   `hostId`; main forwards them generically.
 * - localMethods: served by main itself (hosts, settings).
 * - agentEvents: emitted by the agent; main re-emits them with `hostId` added.
 * - appEvents: what the renderer can subscribe to.
 */
import { z } from 'zod'

export const PROTOCOL_VERSION = 1

/** Default time a request may take before the caller gives up with TIMEOUT. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export const errorValueSchema = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
})

// --- Containers ---------------------------------------------------------------------------

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

// --- Engine -------------------------------------------------------------------------------

export const engineInfoSchema = z.object({
  /** Docker's platform naming: amd64, arm64, arm (with variant v7), ... */
  arch: z.string(),
  os: z.string(),
  engineVersion: z.string(),
  apiVersion: z.string(),
  hostname: z.string(),
})
export type EngineInfo = z.infer<typeof engineInfoSchema>

// --- Method table helpers -----------------------------------------------------------------

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P
  result: R
  /** Overrides DEFAULT_REQUEST_TIMEOUT_MS for slow operations. */
  timeoutMs?: number
}

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, timeoutMs?: number): MethodSpec<P, R> {
  return timeoutMs === undefined ? { params, result } : { params, result, timeoutMs }
}

const empty = z.object({}).strict()

// --- Agent methods and events -------------------------------------------------------------

export const agentMethods = {
  'agent.ping': method(empty, z.object({ version: z.string() })),
  'engine.info': method(empty, engineInfoSchema),
  'events.subscribe': method(empty, z.object({ subscribed: z.boolean() })),
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
} satisfies Record<string, MethodSpec>

export type AgentMethod = keyof typeof agentMethods

export const agentEvents = {
  'container.stateChanged': containerChangeSchema,
  'engine.stateChanged': z.object({ available: z.boolean(), message: z.string().optional() }),
} satisfies Record<string, z.ZodType>

export type AgentEvent = keyof typeof agentEvents

// --- Hosts (served by main) ---------------------------------------------------------------

export const hostStates = ['disconnected', 'connecting', 'installing', 'connected', 'error'] as const
export const hostStateSchema = z.enum(hostStates)
export type HostState = z.infer<typeof hostStateSchema>

const hostIdSchema = z.string().min(1).max(64)

export const hostInputSchema = z
  .object({
    name: z.string().trim().min(1, 'a host needs a name').max(64, 'a host name is at most 64 characters'),
    address: z
      .string()
      .trim()
      .min(1, 'a host needs an address')
      .max(253, 'an address is at most 253 characters')
      .regex(/^[a-zA-Z0-9.:_-]+$/, 'an address is a host name or an IP address'),
    port: z.number().int().min(1, 'a port is 1 to 65535').max(65535, 'a port is 1 to 65535').default(22),
    user: z
      .string()
      .trim()
      .min(1, 'a host needs a user name')
      .max(64)
      .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'a user name has letters, digits, _ . and -'),
    identityFile: z.string().max(4096).optional(),
  })
  .strict()
export type HostInput = z.input<typeof hostInputSchema>

export const pendingHostKeySchema = z.object({
  keyType: z.string(),
  fingerprint: z.string(),
})

export const hostViewSchema = z.object({
  id: hostIdSchema,
  name: z.string(),
  local: z.boolean(),
  address: z.string(),
  port: z.number(),
  user: z.string(),
  identityFile: z.string().optional(),
  state: hostStateSchema,
  arch: z.string().optional(),
  engineVersion: z.string().optional(),
  agentVersion: z.string().optional(),
  engineAvailable: z.boolean().optional(),
  error: errorValueSchema.optional(),
  /** Set while the host's key is unknown: shown to the user to accept or refuse. */
  pendingHostKey: pendingHostKeySchema.optional(),
})
export type HostView = z.infer<typeof hostViewSchema>

const hostRef = z.object({ hostId: hostIdSchema }).strict()

export const localMethods = {
  'hosts.list': method(empty, z.array(hostViewSchema)),
  'hosts.add': method(hostInputSchema, hostViewSchema),
  'hosts.remove': method(hostRef, z.object({})),
  // connecting includes the agent install: allow for a slow link
  'hosts.connect': method(hostRef, hostViewSchema, 120_000),
  'hosts.disconnect': method(hostRef, hostViewSchema),
  'hosts.trustKey': method(
    z.object({ hostId: hostIdSchema, fingerprint: z.string().min(1) }).strict(),
    hostViewSchema,
    120_000,
  ),
} satisfies Record<string, MethodSpec>

export type LocalMethod = keyof typeof localMethods

// --- The renderer's contract --------------------------------------------------------------

export type ApiMethod = AgentMethod | LocalMethod

/** A strict empty object infers as Record<string, never>, which no `{ hostId }` would fit. */
type WithHost<P> = (string extends keyof P ? unknown : P) & { hostId: string }

export type ApiParams<M extends ApiMethod> = M extends AgentMethod
  ? WithHost<z.input<(typeof agentMethods)[M]['params']>>
  : M extends LocalMethod
    ? z.input<(typeof localMethods)[M]['params']>
    : never

export type ApiResult<M extends ApiMethod> = M extends AgentMethod
  ? z.output<(typeof agentMethods)[M]['result']>
  : M extends LocalMethod
    ? z.output<(typeof localMethods)[M]['result']>
    : never

export const appEvents = {
  'host.stateChanged': hostViewSchema,
  'host.removed': z.object({ hostId: hostIdSchema }),
  'container.stateChanged': containerChangeSchema.extend({ hostId: hostIdSchema }),
  'engine.stateChanged': agentEvents['engine.stateChanged'].extend({ hostId: hostIdSchema }),
} satisfies Record<string, z.ZodType>

export type AppEvent = keyof typeof appEvents
export type AppEventPayload<E extends AppEvent> = z.infer<(typeof appEvents)[E]>

export function isAgentMethod(name: string): name is AgentMethod {
  return Object.hasOwn(agentMethods, name)
}

export function isLocalMethod(name: string): name is LocalMethod {
  return Object.hasOwn(localMethods, name)
}

/** The typed surface the renderer sees, whichever shell (Electron or browser) carries it. */
export interface BerthApi {
  invoke<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>
  on<E extends AppEvent>(event: E, listener: (payload: AppEventPayload<E>) => void): () => void
}
