/**
 * Turns the engine's event stream into container.stateChanged, engine.stateChanged and
 * engine.objectChanged (images, networks, volumes: the window refetches those lists).
 *
 * One engine stream serves every subscriber. For each container event the agent looks the
 * container up again rather than guessing its state from the action name: the lookup gives
 * the same shape as containers.list (with exit code and status). Lookups for one container
 * run one after another so a late answer never overwrites a newer state.
 * When the stream breaks (engine stopped) subscribers are told, and it is reopened with
 * backoff until the engine answers again.
 */
import type Docker from 'dockerode'
import type { ContainerChange, ContainerSummary } from '../../protocol/schema'
import { findContainer } from '../containers/list'
import { jsonLines } from './json-lines'

/** Actions after which a container's state or name may have changed. */
const STATE_ACTIONS = new Set([
  'create', 'start', 'restart', 'stop', 'die', 'kill', 'pause', 'unpause', 'destroy', 'rename', 'oom', 'update',
  // health shows in the list's status text
  'health_status',
])

export interface EngineEventListener {
  containerChanged(change: ContainerChange): void
  engineState(available: boolean, message?: string): void
  /** An image, network or volume was made, changed or removed (by anyone, anywhere). */
  objectChanged?(change: ObjectChange): void
}

export interface ObjectChange {
  kind: 'image' | 'network' | 'volume'
  action: string
  id: string
}

const OBJECT_KINDS = new Set(['image', 'network', 'volume'])

/** The fields of an engine event used here. */
interface EngineEvent {
  Type?: string
  Action?: string
  Actor?: { ID?: string }
  id?: string
}

const RETRY_MIN_MS = 500
const RETRY_MAX_MS = 5_000

export class EngineEvents {
  private readonly listeners = new Set<EngineEventListener>()
  private stream: NodeJS.ReadableStream | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private retryMs = RETRY_MIN_MS
  private available: boolean | undefined
  private readonly chains = new Map<string, Promise<void>>()

  constructor(private readonly docker: Docker) {}

  subscribe(listener: EngineEventListener): () => void {
    this.listeners.add(listener)
    if (this.listeners.size === 1) void this.open()
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.stop()
    }
  }

  private stop(): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const stream = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined
    this.stream = undefined
    stream?.destroy?.()
  }

  private async open(): Promise<void> {
    if (this.listeners.size === 0) return
    try {
      const stream = await this.docker.getEvents({ filters: { type: ['container', 'image', 'network', 'volume'] } })
      if (this.listeners.size === 0) return (stream as unknown as { destroy(): void }).destroy()
      this.stream = stream
      this.retryMs = RETRY_MIN_MS
      this.setAvailable(true)
      void this.follow(stream)
    } catch (err) {
      this.setAvailable(false, err instanceof Error ? err.message : String(err))
      this.scheduleRetry()
    }
  }

  /** Reads events until the stream ends; unless it was closed here, the engine is gone: retry. */
  private async follow(stream: NodeJS.ReadableStream): Promise<void> {
    try {
      for await (const event of jsonLines<EngineEvent>(stream as AsyncIterable<Buffer>, { skipMalformed: true })) this.onEvent(event)
    } catch {
      // a broken stream is an ended one, reported below
    }
    if (this.stream !== stream) return
    this.stream = undefined
    this.setAvailable(false, 'the engine event stream ended')
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    if (this.listeners.size === 0 || this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.open()
    }, this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
  }

  private setAvailable(available: boolean, message?: string): void {
    if (this.available === available) return
    this.available = available
    for (const l of this.listeners) l.engineState(available, message)
  }

  private onEvent(event: EngineEvent): void {
    const id = event.Actor?.ID ?? event.id
    // exec_start, health_status: ... carry a suffix after a colon
    const action = (event.Action ?? '').split(':')[0]!
    if (event.Type && OBJECT_KINDS.has(event.Type) && id) {
      const change = { kind: event.Type as ObjectChange['kind'], action, id }
      for (const l of this.listeners) l.objectChanged?.(change)
      return
    }
    if (event.Type !== 'container' || !id || !STATE_ACTIONS.has(action)) return
    const previous = this.chains.get(id) ?? Promise.resolve()
    const next = previous.then(() => this.report(id, action))
    this.chains.set(id, next)
    void next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id)
    })
  }

  private async report(id: string, action: string): Promise<void> {
    let container: ContainerSummary | null
    try {
      container = action === 'destroy' ? null : await findContainer(this.docker, id)
    } catch {
      return // the engine went away mid-lookup; the stream's end reports that
    }
    for (const l of this.listeners) l.containerChanged({ id, action, container })
  }
}
