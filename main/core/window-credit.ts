/**
 * How much of one terminal's output each window has drawn. Output goes to every window at once
 * (events are broadcast), and the agent is acknowledged only for what every window that draws
 * it has drawn: the agent stops at its credit, so its flow control reaches the slowest window,
 * and main never holds or relays more than that credit past the slowest window's last ack.
 * An acknowledgement pays back only output that was relayed: a window that says it drew more,
 * or two windows that each draw the same bytes, give the agent no extra credit.
 *
 * A window counts from when it opens the terminal, lists the terminals (a reloaded window: what
 * was relayed before counts as drawn) or first acknowledges; it stops counting when it goes.
 */
import type { ClientId } from './stats-subscriptions'

export class WindowCredit {
  /** Bytes relayed to the windows, since the terminal was opened. */
  private relayed = 0
  /** Bytes acknowledged to the agent, on the same count. */
  private paid = 0
  /** Per window, bytes of `relayed` it has drawn. */
  private readonly drawn = new Map<ClientId, number>()

  relay(bytes: number): void {
    this.relayed += bytes
  }

  /** The window starts drawing from here (it opened the terminal, or was reloaded); returns bytes now due to the agent. */
  fresh(client: ClientId): number {
    this.drawn.set(client, this.relayed)
    return this.settle()
  }

  /** The window drew `bytes` more; returns bytes now due to the agent. */
  ack(client: ClientId, bytes: number): number {
    const from = this.drawn.get(client) ?? this.paid
    this.drawn.set(client, Math.min(this.relayed, from + bytes))
    return this.settle()
  }

  /** The window closed or was reloaded; returns bytes now due to the agent. */
  leave(client: ClientId): number {
    return this.drawn.delete(client) ? this.settle() : 0
  }

  /** The agent sends on a new stream: what the old one carried is owed to nobody any more. */
  rebind(): void {
    this.paid = this.relayed
  }

  private settle(): number {
    if (this.drawn.size === 0) return 0
    const floor = Math.min(...this.drawn.values())
    if (floor <= this.paid) return 0
    const due = floor - this.paid
    this.paid = floor
    return due
  }
}
