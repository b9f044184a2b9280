/**
 * A scriptable stand-in for the api client: tests say how each method answers, emit events
 * as the core would, and check what was invoked. Handed to the stores with `provideApi`.
 */
import { vi } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import type { BerthClient } from '../../renderer/src/api/client'
import type { ApiMethod, ApiParams, ApiResult, AppEvent, AppEventPayload, ContainerSummary, HostView } from '../../protocol/schema'

type Handler<M extends ApiMethod> = (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>

export interface FakeApi {
  api: BerthClient
  /** Every call, as [method, params]. */
  invoke: ReturnType<typeof vi.fn<(method: string, params: unknown) => Promise<unknown>>>
  handle<M extends ApiMethod>(method: M, handler: Handler<M>): void
  emit<E extends AppEvent>(event: E, payload: AppEventPayload<E>): void
  setConnected(connected: boolean): void
  calls(method: ApiMethod): unknown[]
}

export function createFakeApi(): FakeApi {
  const handlers = new Map<string, (params: unknown) => unknown>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const connectionListeners = new Set<(connected: boolean) => void>()

  const invoke = vi.fn(async (method: string, params: unknown): Promise<unknown> => {
    const handler = handlers.get(method)
    if (!handler) throw new ApiError('UNSUPPORTED', `the fake api has no answer for ${method}`)
    return handler(params)
  })

  const api: BerthClient = {
    invoke: invoke as unknown as BerthClient['invoke'],
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => set.delete(l)
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
  }

  return {
    api,
    invoke,
    handle(method, handler) {
      handlers.set(method, handler as (params: unknown) => unknown)
    },
    emit(event, payload) {
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
