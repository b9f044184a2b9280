/**
 * Live following of container logs, one engine stream per follow. Each follow belongs to
 * the peer that asked for it: only that peer can stop it, and its disconnect stops them all.
 */
import { randomUUID } from 'node:crypto'
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import type { Peer } from '../../protocol/wire/peer'
import { openLogStream, type LogQuery } from './container-logs'
import { LogBatcher } from './batcher'
import { LogDecoder } from './lines'

/** Each follow holds an engine connection; a peer needs no more than a handful of log viewers. */
export const MAX_FOLLOWS_PER_PEER = 32

interface Follow {
  peer: Peer
  stop: () => void
}

export class LogFollows {
  private readonly follows = new Map<string, Follow>()
  private readonly watched = new WeakSet<Peer>()

  constructor(private readonly docker: Docker) {}

  async start(peer: Peer, query: Omit<LogQuery, 'follow'>): Promise<{ followId: string; tty: boolean }> {
    if (this.countOf(peer) >= MAX_FOLLOWS_PER_PEER) {
      throw new BerthError('CONFLICT', `at most ${MAX_FOLLOWS_PER_PEER} logs can be followed at once: stop one first`)
    }
    const { stream, tty } = await openLogStream(this.docker, { ...query, follow: true })
    const followId = randomUUID()
    const batcher = new LogBatcher(({ lines, skipped }) =>
      peer.emitEvent('logs.lines', skipped ? { followId, lines, skipped } : { followId, lines }),
    )
    const decoder = new LogDecoder(tty, query.timestamps, (line) => batcher.add(line))
    let done = false
    const stop = (): void => {
      if (done) return
      done = true
      this.follows.delete(followId)
      batcher.dispose()
      stream.destroy()
    }
    const ended = (message?: string): void => {
      if (done) return
      decoder.end()
      batcher.flush()
      stop()
      void this.reason(query.id).then((reason) =>
        peer.emitEvent('logs.ended', message ? { followId, reason: 'error', message } : { followId, reason }),
      )
    }
    stream.on('data', (chunk: Buffer) => decoder.push(chunk))
    stream.on('end', () => ended())
    stream.on('close', () => ended())
    stream.on('error', (err: Error) => ended(err.message))
    this.follows.set(followId, { peer, stop })
    if (!this.watched.has(peer)) {
      this.watched.add(peer)
      peer.once('close', () => this.stopAll(peer))
    }
    return { followId, tty }
  }

  /** False when no follow of this peer has that id (already ended, or never there). */
  stop(peer: Peer, followId: string): boolean {
    const follow = this.follows.get(followId)
    if (!follow || follow.peer !== peer) return false
    follow.stop()
    return true
  }

  private stopAll(peer: Peer): void {
    for (const follow of [...this.follows.values()]) if (follow.peer === peer) follow.stop()
  }

  private countOf(peer: Peer): number {
    let n = 0
    for (const f of this.follows.values()) if (f.peer === peer) n++
    return n
  }

  /** Why the engine ended the stream: the container stopped, or is gone. */
  private async reason(id: string): Promise<'stopped' | 'removed' | 'ended'> {
    try {
      const info = await this.docker.getContainer(id).inspect()
      return info.State?.Running ? 'ended' : 'stopped'
    } catch {
      return 'removed'
    }
  }
}
