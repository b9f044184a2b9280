/**
 * Batches followed log lines for the link: at most one batch per BATCH_INTERVAL_MS and at most
 * MAX_BATCH_BYTES in one. When a container writes faster, the batch keeps its first and last
 * lines and counts the middle ones as skipped, so a flood never outruns the link.
 */
import type { LogLine } from '../../protocol/schema'
import { lineBytes } from './lines'

/** 10 batches per second at most. */
export const BATCH_INTERVAL_MS = 100
export const MAX_BATCH_BYTES = 256 * 1024

export interface LogBatch {
  lines: LogLine[]
  skipped: number
}

export class LogBatcher {
  private head: LogLine[] = []
  private headBytes = 0
  private tail: LogLine[] = []
  private tailStart = 0
  private tailBytes = 0
  private skipped = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly send: (batch: LogBatch) => void,
    private readonly maxBytes = MAX_BATCH_BYTES,
    private readonly intervalMs = BATCH_INTERVAL_MS,
  ) {}

  add(line: LogLine): void {
    const size = lineBytes(line)
    if (this.tail.length === this.tailStart && this.headBytes + size <= this.maxBytes / 2) {
      this.head.push(line)
      this.headBytes += size
    } else {
      this.tail.push(line)
      this.tailBytes += size
      while (this.tailBytes > this.maxBytes / 2 && this.tailStart < this.tail.length) {
        this.tailBytes -= lineBytes(this.tail[this.tailStart]!)
        this.tailStart++
        this.skipped++
      }
      if (this.tailStart > 4096) {
        this.tail = this.tail.slice(this.tailStart)
        this.tailStart = 0
      }
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs)
  }

  /** Sends what is pending now (also before the follow ends). */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const lines = this.head.concat(this.tail.slice(this.tailStart))
    if (lines.length === 0 && this.skipped === 0) return
    const skipped = this.skipped
    this.head = []
    this.headBytes = 0
    this.tail = []
    this.tailStart = 0
    this.tailBytes = 0
    this.skipped = 0
    this.send({ lines, skipped })
  }

  /** Drops whatever is pending without sending it. */
  dispose(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
