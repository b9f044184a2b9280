/**
 * Acknowledges drawn output in batches. Main relays a terminal's output only while less than
 * a stream's credit (256 KiB) of it is un-acknowledged, so acks are what let a flood go on at the speed the
 * screen can draw it; batching them keeps a flood from turning into one call per event.
 */

/** Send an ack as soon as this much is drawn and not yet acknowledged. */
export const ACK_BATCH_BYTES = 32 * 1024
/** Otherwise acknowledge what there is this long after the last drawn piece. */
export const ACK_IDLE_MS = 50

export class AckBatcher {
  private owed = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  /** `send` is called with the byte count to acknowledge; a failed send is dropped (the terminal ended). */
  constructor(private readonly send: (bytes: number) => Promise<unknown>) {}

  /** Counts `bytes` as drawn on the screen. */
  drawn(bytes: number): void {
    if (bytes <= 0) return
    this.owed += bytes
    clearTimeout(this.timer)
    if (this.owed >= ACK_BATCH_BYTES) this.flush()
    else this.timer = setTimeout(() => this.flush(), ACK_IDLE_MS)
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.owed === 0) return
    const bytes = this.owed
    this.owed = 0
    this.send(bytes).catch(() => {})
  }

  /** Forgets what is owed (the terminal is gone: there is nobody to acknowledge to). */
  dispose(): void {
    clearTimeout(this.timer)
    this.owed = 0
  }
}
