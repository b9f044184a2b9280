/**
 * The one declaration of every method and event in Berth. TypeScript types and runtime
 * validation both come from these objects, so the agent, main and renderer cannot drift.
 * Pure TypeScript: no node:, electron, vue or ssh2 imports (the renderer imports this).
 *
 * Each domain declares its methods in protocol/methods/<domain>.ts; this file joins them.
 * - agentMethods: served by the agent on each host. The renderer calls them with an extra
 *   `hostId`; main forwards them generically.
 * - localMethods: served by main itself (hosts, terminals, image files and copies, builds,
 *   registry logins).
 * - agentEvents: emitted by the agent; main re-emits them with `hostId` added.
 * - appEvents: what the renderer can subscribe to.
 */
import * as z from 'zod'
import type { MethodSpec } from './methods/common'
import { hostIdSchema } from './methods/common'
import { containerRunEvents, containerRunMethods } from './methods/container-run'
import { containerEvents, containerMethods } from './methods/containers'
import { engineEvents, engineMethods } from './methods/engine'
import { hostMethods, hostViewSchema } from './methods/hosts'
import { imageBuildMethods, imageTransferMethods, transferAgentEvents, transferAgentMethods, transferEvents } from './methods/image-transfer'
import { imageEvents, imageMethods } from './methods/images'
import { logEvents, logMethods } from './methods/logs'
import { networkEvents, networkMethods } from './methods/networks'
import { registryEvents, registryMethods } from './methods/registry'
import { registryAgentEvents, registryAgentMethods, registryAuthEvents, registryAuthMethods } from './methods/registry-auth'
import { systemEvents, systemMethods } from './methods/system'
import { statEvents, statMethods } from './methods/stats'
import { sessionEvents, sessionMethods, terminalEvents, terminalMethods } from './methods/terminals'
import { volumeFileEvents, volumeFileMethods } from './methods/volume-files'
import { volumeEvents, volumeMethods } from './methods/volumes'

export * from './methods/common'
export * from './methods/container-run'
export * from './methods/containers'
export * from './methods/engine'
export * from './methods/hosts'
export * from './methods/image-transfer'
export * from './methods/images'
export * from './methods/logs'
export * from './methods/networks'
export * from './methods/registry'
export * from './methods/registry-auth'
export * from './methods/system'
export * from './methods/stats'
export * from './methods/terminals'
export * from './methods/volume-files'
export * from './methods/volumes'

export const agentMethods = {
  ...engineMethods,
  ...containerMethods,
  ...containerRunMethods,
  ...logMethods,
  ...imageMethods,
  ...registryMethods,
  ...networkMethods,
  ...volumeMethods,
  ...systemMethods,
  ...statMethods,
  ...volumeFileMethods,
} satisfies Record<string, MethodSpec>

export type AgentMethod = keyof typeof agentMethods

/** Everything the agent serves: agentMethods, and session.*, transfer.* and registry.* (login, push) which only main calls. */
export const agentServedMethods = { ...agentMethods, ...sessionMethods, ...transferAgentMethods, ...registryAgentMethods } satisfies Record<string, MethodSpec>
export type AgentServedMethod = keyof typeof agentServedMethods

export function isAgentServedMethod(name: string): name is AgentServedMethod {
  return Object.hasOwn(agentServedMethods, name)
}

/** Agent events only main listens to. */
export const agentPrivateEvents = { ...sessionEvents, ...transferAgentEvents, ...registryAgentEvents }

export const agentEvents = {
  ...containerEvents,
  ...containerRunEvents,
  ...logEvents,
  ...engineEvents,
  ...registryEvents,
  ...imageEvents,
  ...networkEvents,
  ...volumeEvents,
  ...systemEvents,
  ...statEvents,
  ...volumeFileEvents,
} satisfies Record<string, z.ZodObject>

export type AgentEvent = keyof typeof agentEvents

export const localMethods = {
  ...hostMethods,
  ...terminalMethods,
  ...imageTransferMethods,
  ...imageBuildMethods,
  ...registryAuthMethods,
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

/** Events main itself emits: hosts, terminals (whose streams main relays), transfers and builds, registry pushes. */
const hostEvents = {
  'host.stateChanged': hostViewSchema,
  'host.removed': z.object({ hostId: hostIdSchema }),
  ...terminalEvents,
  ...transferEvents,
  ...registryAuthEvents,
}

export type AppEvent = keyof typeof hostEvents | AgentEvent

/** Agent events reach the renderer with the id of the host they came from. */
export type AppEventPayload<E extends AppEvent> = E extends AgentEvent
  ? z.infer<(typeof agentEvents)[E]> & { hostId: string }
  : E extends keyof typeof hostEvents
    ? z.infer<(typeof hostEvents)[E]>
    : never

export const appEvents: Record<AppEvent, z.ZodType> = {
  ...hostEvents,
  ...(Object.fromEntries(
    Object.entries(agentEvents).map(([name, schema]) => [name, schema.extend({ hostId: hostIdSchema })]),
  ) as unknown as Record<AgentEvent, z.ZodType>),
}

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
