/**
 * The typed API over whichever transport this shell provides.
 *
 * Results and event payloads are checked against the same zod schemas the core uses, so a
 * store never holds a shape its types do not describe: a bad result becomes a PROTOCOL_ERROR
 * the UI can show, and a bad event is dropped with a console warning rather than breaking the
 * page. Each invoke also has its own deadline, a little longer than the core's, so a lost
 * answer cannot leave a button spinning forever while the core's own TIMEOUT still wins.
 */
import {
  agentMethods,
  appEvents,
  DEFAULT_REQUEST_TIMEOUT_MS,
  isAgentMethod,
  isLocalMethod,
  localMethods,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
  type AppEvent,
  type AppEventPayload,
  type BerthApi,
  type MethodSpec,
} from '../../../protocol/schema'
import { ApiError } from './api-error'
import type { ConnectionAware, Envelope, Transport } from './transport'
import { WsTransport } from './ws-transport'

export { ApiError, toErrorView, type ErrorView } from './api-error'
export type { Envelope, Transport } from './transport'

declare global {
  interface Window {
    /** Exposed by Electron's preload through contextBridge. */
    berthBridge?: Transport
  }
}

/** Extra time past the core's own deadline, so the core's TIMEOUT (with its detail) wins. */
const CLIENT_TIMEOUT_GRACE_MS = 5_000

export interface BerthClient extends BerthApi {
  /** Reports the link to the core dropping (false) and returning (true). */
  onConnectionChange(listener: (connected: boolean) => void): () => void
}

/** The schemas of a method the renderer may call, or undefined for a name the protocol does not know. */
export function specOf(method: string): MethodSpec | undefined {
  if (isAgentMethod(method)) return agentMethods[method]
  if (isLocalMethod(method)) return localMethods[method]
  return undefined
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

function withDeadline(promise: Promise<Envelope>, method: string, ms: number): Promise<Envelope> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<Envelope>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          error: { code: 'TIMEOUT', message: `${method} did not answer within ${Math.round(ms / 1000)} s` },
        }),
      ms,
    )
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

/** Builds the client; `transport` may be a factory so nothing connects until first use. */
export function createClient(transport: Transport | (() => Transport)): BerthClient {
  let current: (Transport & Partial<ConnectionAware>) | undefined
  const get = (): Transport & Partial<ConnectionAware> =>
    (current ??= typeof transport === 'function' ? transport() : transport)

  return {
    async invoke<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      const spec = specOf(method)
      const timeoutMs = (spec?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + CLIENT_TIMEOUT_GRACE_MS
      let envelope: Envelope
      try {
        envelope = await withDeadline(get().invoke(method, params), method, timeoutMs)
      } catch (err) {
        // a transport should answer with an envelope; a throwing one still must not leak raw errors
        throw new ApiError('UNREACHABLE', `${method}: ${err instanceof Error ? err.message : String(err)}`)
      }
      if (!envelope.ok) throw ApiError.fromWire(envelope.error)
      if (!spec) return envelope.result as ApiResult<M>
      const parsed = spec.result.safeParse(envelope.result)
      if (!parsed.success) {
        throw new ApiError('PROTOCOL_ERROR', `Berth sent an unexpected answer to ${method}: ${describeIssues(parsed.error.issues)}`)
      }
      return parsed.data as ApiResult<M>
    },

    on<E extends AppEvent>(event: E, listener: (payload: AppEventPayload<E>) => void): () => void {
      const schema = appEvents[event]
      // only reachable past the types (a cast); pass such events on unchecked rather than crash
      if (!schema) return get().on(event, listener as (payload: unknown) => void)
      return get().on(event, (payload) => {
        const parsed = schema.safeParse(payload)
        if (!parsed.success) {
          console.warn(`berth: dropped a malformed ${event} event: ${describeIssues(parsed.error.issues)}`)
          return
        }
        listener(parsed.data as AppEventPayload<E>)
      })
    },

    onConnectionChange(listener: (connected: boolean) => void): () => void {
      return get().onConnectionChange?.(listener) ?? (() => {})
    },
  }
}

function defaultTransport(): Transport {
  return window.berthBridge ?? new WsTransport()
}

/** The app's client: Electron's bridge when present, otherwise the browser shell's WebSocket. */
export const api: BerthClient = createClient(defaultTransport)
