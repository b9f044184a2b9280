/**
 * One terminal process on the host and the connection currently watching it.
 *
 * Output always goes into the replay buffer. While a viewer (a connection from main) is
 * attached, output also goes to it on a flow-controlled stream, and when that stream is
 * blocked the process is paused: a flood cannot outrun the screen. With no viewer (the link
 * dropped) the process runs on and the buffer keeps the last REPLAY_BYTES for the next viewer.
 *
 * Keys come back on the viewer's stream too (a stream carries bytes both ways), each a binary
 * frame written straight to the process: no JSON and no per-key request, which is the hop a
 * keystroke's echo waits on. session.input remains for a key typed before a resumed viewer is bound.
 */
import { randomUUID } from 'node:crypto'
import type { SessionInfo, TerminalKind } from '../../protocol/schema'
import type { DataStream } from '../../protocol/wire/data-stream'
import type { Peer } from '../../protocol/wire/peer'
import { ReplayBuffer } from './replay-buffer'
import type { SourceOutcome, TerminalSource } from './source'

interface Viewer {
  peer: Peer
  stream: DataStream
}

export class Session {
  readonly id = randomUUID()
  private readonly replay = new ReplayBuffer()
  private viewer: Viewer | undefined
  private outcome: (Omit<SourceOutcome, 'state'> & { state: 'exited' | 'detached' | 'closed' }) | undefined
  private pausedForViewer = false
  /** When the last viewer left (ms), for the session table's clean-up. */
  unwatchedSince: number | undefined = Date.now()

  constructor(
    readonly kind: TerminalKind,
    private readonly source: TerminalSource,
    private readonly onEnded: (session: Session) => void,
  ) {
    source.on('data', (chunk) => this.onOutput(chunk))
    source.once('end', (outcome) => this.onEnd(outcome))
    source.begin()
  }

  get ended(): boolean {
    return this.outcome !== undefined
  }

  get info(): SessionInfo {
    const { title, container, command, tty, detachKeys } = this.source.info
    const info: SessionInfo = {
      sessionId: this.id,
      kind: this.kind,
      title,
      command,
      tty,
      state: this.outcome?.state ?? 'live',
      outputBytes: this.replay.end,
    }
    if (container !== undefined) info.container = container
    if (detachKeys !== undefined) info.detachKeys = detachKeys
    if (this.outcome) {
      info.exitCode = this.outcome.exitCode
      if (this.outcome.message !== undefined) info.message = this.outcome.message
    }
    return info
  }

  /** Makes `peer` the viewer (replacing any other) and replays output from `fromOffset`. */
  watch(peer: Peer, fromOffset: number): { stream: DataStream; gapBytes: number } {
    this.unwatch()
    const stream = peer.openStream()
    const viewer: Viewer = { peer, stream }
    this.viewer = viewer
    this.unwatchedSince = undefined
    const { chunks, gapBytes } = this.replay.from(fromOffset)
    for (const chunk of chunks) stream.write(chunk)
    if (this.ended) {
      stream.endWhenFlushed()
    } else {
      stream.on('data', (keys) => this.write(keys))
      stream.on('drain', () => this.resumeIfWatched(viewer))
      stream.on('end', () => this.dropViewer(viewer))
      peer.once('close', () => this.dropViewer(viewer))
    }
    return { stream, gapBytes }
  }

  replayText(): { data: string; gapBytes: number } {
    const { chunks, gapBytes } = this.replay.from(0)
    return { data: Buffer.concat(chunks).toString('utf8'), gapBytes }
  }

  write(data: string | Buffer): void {
    if (!this.ended) this.source.write(data)
  }

  resize(cols: number, rows: number): Promise<void> {
    return this.ended ? Promise.resolve() : this.source.resize(cols, rows)
  }

  /** The user closed the terminal: hang up the process and forget the session. */
  close(): void {
    if (!this.ended) {
      this.outcome = { state: 'closed', exitCode: null, message: 'closed' }
      this.source.close()
    }
    this.unwatch()
    this.onEnded(this)
  }

  private onOutput(chunk: Buffer): void {
    this.replay.push(chunk)
    const viewer = this.viewer
    if (viewer && !viewer.stream.write(chunk) && !this.pausedForViewer) {
      this.pausedForViewer = true
      this.source.pause()
    }
  }

  private onEnd(outcome: SourceOutcome): void {
    if (this.outcome) return
    this.outcome = outcome
    const viewer = this.viewer
    if (viewer) {
      viewer.peer.emitEvent('session.ended', this.info)
      viewer.stream.endWhenFlushed()
    }
  }

  private resumeIfWatched(viewer: Viewer): void {
    if (this.viewer === viewer && this.pausedForViewer) {
      this.pausedForViewer = false
      this.source.resume()
    }
  }

  private dropViewer(viewer: Viewer): void {
    if (this.viewer !== viewer) return
    this.viewer = undefined
    this.unwatchedSince = Date.now()
    // nobody is reading now: let the process run on into the replay buffer
    if (this.pausedForViewer) {
      this.pausedForViewer = false
      this.source.resume()
    }
  }

  private unwatch(): void {
    const viewer = this.viewer
    if (!viewer) return
    this.dropViewer(viewer)
    if (!viewer.stream.isEnded) viewer.stream.end()
  }
}
