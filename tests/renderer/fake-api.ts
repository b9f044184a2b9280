/**
 * A scriptable core for renderer tests: tests say how each method answers, emit events as the
 * core would, and check what was invoked. The stores get the real api client (client.ts) over a
 * fake transport, so what a component sends and every fixture a test hands back go through the
 * protocol's schemas, as they would against the real core: params the core would refuse, an
 * answer or event of the wrong shape, fail the test (softly, so it still shows what went on).
 * Handed to the stores with `provideApi`.
 */
import { expect, vi } from 'vitest'
import { toErrorView } from '../../renderer/src/api/api-error'
import { createClient, specOf, type BerthClient } from '../../renderer/src/api/client'
import type { ConnectionAware, Envelope, Transport } from '../../renderer/src/api/transport'
import {
  appEvents,
  isAgentMethod,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
  type AppEvent,
  type AppEventPayload,
  type ContainerSummary,
  type HostView,
} from '../../protocol/schema'
import { describeIssues } from '../../protocol/validate'

type Handler<M extends ApiMethod> = (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>

export interface FakeApi {
  api: BerthClient
  /** Every call as it reached the core, as [method, params]. */
  invoke: ReturnType<typeof vi.fn<(method: string, params: unknown) => Promise<Envelope>>>
  handle<M extends ApiMethod>(method: M, handler: Handler<M>): void
  emit<E extends AppEvent>(event: E, payload: AppEventPayload<E>): void
  setConnected(connected: boolean): void
  calls(method: ApiMethod): unknown[]
}

/** Marks the running test failed without stopping it; outside a test there is none to mark. */
function reject(problem: string): void {
  try {
    expect.soft(false, problem).toBe(true)
  } catch {
    console.error(`fake api: ${problem}`)
  }
}

/** Parses params as main does: an agent method's hostId apart, the rest by the agent's schema. */
function checkParams(method: string, params: unknown): string | null {
  const spec = specOf(method)
  if (!spec) return `${method} is not a method of the protocol`
  let rest = params ?? {}
  if (isAgentMethod(method)) {
    const { hostId, ...others } = rest as { hostId?: unknown }
    if (typeof hostId !== 'string') return `${method} was sent without a hostId`
    rest = others
  }
  const parsed = spec.params.safeParse(rest)
  return parsed.success ? null : `${method} was sent params ${JSON.stringify(params).slice(0, 300)}: ${describeIssues(parsed.error)}`
}

export function createFakeApi(): FakeApi {
  const handlers = new Map<string, (params: unknown) => unknown>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const connectionListeners = new Set<(connected: boolean) => void>()

  const invoke = vi.fn(async (method: string, params: unknown): Promise<Envelope> => {
    const paramsProblem = checkParams(method, params)
    if (paramsProblem) {
      reject(paramsProblem)
      return { ok: false, error: { code: 'INVALID_INPUT', message: paramsProblem } }
    }
    const handler = handlers.get(method)
    if (!handler) return { ok: false, error: { code: 'UNSUPPORTED', message: `the fake api has no answer for ${method}` } }
    let result: unknown
    try {
      result = await handler(params)
    } catch (err) {
      return { ok: false, error: toErrorView(err) }
    }
    const parsed = specOf(method)!.result.safeParse(result)
    if (!parsed.success) reject(`the test's answer to ${method} is not what the core could send: ${describeIssues(parsed.error)}`)
    return { ok: true, result }
  })

  const transport: Transport & ConnectionAware = {
    invoke,
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
  }

  return {
    api: createClient(transport),
    invoke,
    handle(method, handler) {
      handlers.set(method, handler as (params: unknown) => unknown)
    },
    emit(event, payload) {
      const parsed = appEvents[event].safeParse(payload)
      if (!parsed.success) reject(`the test's ${event} event is not what the core could send: ${describeIssues(parsed.error)}`)
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload)
    },
    setConnected(connected) {
      for (const listener of [...connectionListeners]) listener(connected)
    },
    calls(method) {
      return invoke.mock.calls.filter(([m]) => m === method).map(([, params]) => params)
    },
  }
}

/** A promise the test settles by hand, to look at the UI while a call is in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void } {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export function host(overrides: Partial<HostView> & Pick<HostView, 'id' | 'name'>): HostView {
  return { local: false, address: `${overrides.name}.example.com`, port: 22, user: 'deploy', state: 'disconnected', ...overrides }
}

let serial = 0

export function container(overrides: Partial<ContainerSummary> & Pick<ContainerSummary, 'name'>): ContainerSummary {
  serial += 1
  const id = overrides.id ?? `${serial.toString(16).padStart(4, '0')}${'ab12cd34ef56'.repeat(5)}`
  const state = overrides.state ?? 'running'
  return {
    id,
    image: `${overrides.name}:latest`,
    command: `/bin/${overrides.name}`,
    state,
    status: state === 'running' ? 'Up 5 minutes' : 'Exited (0) 1 minute ago',
    exitCode: state === 'exited' || state === 'dead' ? 0 : null,
    created: 1_700_000_000,
    ...overrides,
  }
}
