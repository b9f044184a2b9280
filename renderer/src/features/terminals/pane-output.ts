/**
 * Output on its way to the panes' screens. A pane's screen may not exist yet (its component
 * mounts a moment after the pane is made, or remounts when a split moves it), so output waits
 * here until one is connected; nothing waits for long or grows without bound, because main
 * relays no more than a stream's credit (256 KiB) past the last ack, and acks are only sent once drawn.
 */

/** What a pane draws on: xterm in the window, a fake in tests. */
export interface PaneSink {
  /** Draws `data`; calls `drawn` once it is on the screen. */
  write(data: string, drawn: () => void): void
}

interface Piece {
  data: string
  drawn?: () => void
}

export class PaneOutput {
  private readonly sinks = new Map<string, PaneSink>()
  private readonly waiting = new Map<string, Piece[]>()

  connect(paneId: string, sink: PaneSink): void {
    this.sinks.set(paneId, sink)
    const pieces = this.waiting.get(paneId) ?? []
    this.waiting.delete(paneId)
    for (const piece of pieces) sink.write(piece.data, piece.drawn ?? (() => {}))
  }

  /** The screen went away (its component unmounted); output waits for the next one. */
  disconnect(paneId: string, sink: PaneSink): void {
    if (this.sinks.get(paneId) === sink) this.sinks.delete(paneId)
  }

  draw(paneId: string, data: string, drawn?: () => void): void {
    if (data === '') {
      drawn?.()
      return
    }
    const sink = this.sinks.get(paneId)
    if (sink) sink.write(data, drawn ?? (() => {}))
    else {
      const list = this.waiting.get(paneId) ?? []
      list.push({ data, drawn })
      this.waiting.set(paneId, list)
    }
  }

  /** Forgets a closed pane; output that never reached a screen still counts as drawn. */
  forget(paneId: string): void {
    for (const piece of this.waiting.get(paneId) ?? []) piece.drawn?.()
    this.waiting.delete(paneId)
    this.sinks.delete(paneId)
  }
}
