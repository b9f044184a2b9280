/** What a session runs: an exec, an attach or a host shell, behind one small interface. */
import { EventEmitter } from 'node:events'

export interface SourceInfo {
  title: string
  container?: string
  command: string[]
  /** False for an attach to a container started without -t. */
  tty: boolean
  detachKeys?: string
}

export interface SourceOutcome {
  state: 'exited' | 'detached'
  exitCode: number | null
  message?: string
}

export interface SourceEvents {
  data: [Buffer]
  end: [SourceOutcome]
}

export abstract class TerminalSource extends EventEmitter<SourceEvents> {
  abstract readonly info: SourceInfo
  /** What came before anyone listened (between starting the process and the session's creation). */
  private early: Array<['data', Buffer] | ['end', SourceOutcome]> | undefined = []

  /** Delivers output and the ending from now on, starting with anything held so far. */
  begin(): void {
    const early = this.early ?? []
    this.early = undefined
    for (const [kind, value] of early) {
      if (kind === 'data') this.emit('data', value)
      else this.emit('end', value)
    }
  }

  protected output(chunk: Buffer): void {
    if (this.early) this.early.push(['data', chunk])
    else this.emit('data', chunk)
  }

  protected finish(outcome: SourceOutcome): void {
    if (this.early) this.early.push(['end', outcome])
    else this.emit('end', outcome)
  }

  /** Keys for the process: text from session.input, or raw bytes from the viewer's stream. */
  abstract write(data: string | Buffer): void
  abstract resize(cols: number, rows: number): Promise<void>
  /** Stop reading output (the reader is behind); the process blocks when its buffer fills. */
  abstract pause(): void
  abstract resume(): void
  /** Hang up: the process gets SIGHUP (exec, host shell), or the attach detaches. */
  abstract close(): void
}
