/**
 * Live stats shared by every window. The agent ties a stats subscription to its connection, and
 * main is one connection for all windows: forwarding each window's subscribe and unsubscribe
 * as they come would let one window that leaves stop the samples of another. So main counts
 * the subscribers per host here (each window, each browser tab: one client) and keeps the
 * agent subscribed while at least one is; a client that goes away counts as unsubscribed.
 * Samples already reach every client (events go to all), so only the subscription is shared.
 */
import type { z } from 'zod'
import { toErrorValue } from '../../protocol/errors'
import { DEFAULT_STATS_INTERVAL_MS, type HostView, type statMethods } from '../../protocol/schema'
import type { HostLink } from './hosts/host-link'

/** Who is calling the core: one Electron window or one WebSocket of the browser shell. */
export type ClientId = string
/** The client of calls made without one (tests and tools that drive the core directly). */
export const DEFAULT_CLIENT: ClientId = 'default'

type Params<M extends keyof typeof statMethods> = z.output<(typeof statMethods)[M]['params']>
type Result<M extends keyof typeof statMethods> = z.input<(typeof statMethods)[M]['result']>

export class StatsSubscriptions {
  /** Per host, each subscribed client's interval in milliseconds. */
  private readonly clients = new Map<string, Map<ClientId, number>>()
  /** Hosts seen connected, so a return to 'connected' is told apart from other state updates. */
  private readonly connected = new Set<string>()

  constructor(private readonly link: (hostId: string) => HostLink) {}

  async subscribe(hostId: string, client: ClientId, params: Params<'stats.subscribe'>): Promise<Result<'stats.subscribe'>> {
    const link = this.link(hostId)
    const clients = this.clients.get(hostId) ?? new Map<ClientId, number>()
    const before = clients.get(client)
    clients.set(client, params.intervalMs ?? DEFAULT_STATS_INTERVAL_MS)
    this.clients.set(hostId, clients)
    try {
      return await link.request('stats.subscribe', { intervalMs: shortest(clients) })
    } catch (err) {
      // a refused subscription leaves things as they were
      if (before === undefined) this.drop(hostId, client)
      else clients.set(client, before)
      throw err
    }
  }

  /** Leaves even while the host is away, so it is not taken up again on return. */
  async unsubscribe(hostId: string, client: ClientId): Promise<Result<'stats.unsubscribe'>> {
    const link = this.link(hostId)
    const before = this.clients.get(hostId)
    if (!before?.has(client)) return { subscribed: false }
    const oldInterval = shortest(before)
    this.drop(hostId, client)
    const left = this.clients.get(hostId)
    if (link.snapshot.state !== 'connected') return { subscribed: false }
    if (!left) await link.request('stats.unsubscribe', {})
    else if (shortest(left) !== oldInterval) await link.request('stats.subscribe', { intervalMs: shortest(left) })
    return { subscribed: false }
  }

  /** A window closed or reloaded, a WebSocket dropped: its subscriptions end with it. */
  async clientGone(client: ClientId): Promise<void> {
    const hosts = [...this.clients.entries()].filter(([, clients]) => clients.has(client)).map(([hostId]) => hostId)
    await Promise.all(hosts.map((hostId) => this.unsubscribe(hostId, client).catch(() => ({ subscribed: false }))))
  }

  /** The agent's subscription died with the link: take it up again when the host is back. */
  hostChanged(view: HostView, onError: (hostId: string, message: string) => void = () => {}): void {
    const wasConnected = this.connected.has(view.id)
    if (view.state !== 'connected') return void this.connected.delete(view.id)
    this.connected.add(view.id)
    const clients = this.clients.get(view.id)
    if (wasConnected || !clients) return
    this.link(view.id)
      .request('stats.subscribe', { intervalMs: shortest(clients) })
      .catch((err: unknown) => onError(view.id, toErrorValue(err).message))
  }

  hostRemoved(hostId: string): void {
    this.clients.delete(hostId)
    this.connected.delete(hostId)
  }

  /** The clients subscribed to a host's stats (for tests and diagnostics). */
  subscribers(hostId: string): ClientId[] {
    return [...(this.clients.get(hostId)?.keys() ?? [])]
  }

  private drop(hostId: string, client: ClientId): void {
    const clients = this.clients.get(hostId)
    clients?.delete(client)
    if (clients?.size === 0) this.clients.delete(hostId)
  }
}

function shortest(clients: Map<ClientId, number>): number {
  return Math.min(...clients.values())
}
