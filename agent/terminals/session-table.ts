/**
 * The agent's terminal sessions. In daemon mode one table serves every connection, so a
 * session outlives the link that opened it and the next connection can take it over.
 */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { DEFAULT_DETACH_KEYS, type TerminalSpec } from '../../protocol/schema'
import { AttachSource, ExecSource } from './docker-sources'
import type { HostShellFactory } from './host-shell'
import { Session } from './session'
import type { TerminalSource } from './source'

/** A live session nobody has watched for this long is hung up. */
export const UNWATCHED_LIVE_MS = 60 * 60 * 1000
/** An ended session is kept this long for a client that comes back to read how it ended. */
export const UNWATCHED_ENDED_MS = 10 * 60 * 1000
const SWEEP_MS = 60 * 1000

export class SessionTable {
  private readonly sessions = new Map<string, Session>()
  private sweeper: NodeJS.Timeout | undefined

  constructor(
    private readonly docker: Docker,
    private readonly hostShell: HostShellFactory | undefined,
  ) {}

  get size(): number {
    return this.sessions.size
  }

  /** Sessions whose process still runs. */
  get liveCount(): number {
    return [...this.sessions.values()].filter((s) => !s.ended).length
  }

  async open(spec: TerminalSpec): Promise<Session> {
    const source = await this.start(spec)
    const session = new Session(spec.kind, source, (s) => this.sessions.delete(s.id))
    this.sessions.set(session.id, session)
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref()
    return session
  }

  get(id: string): Session {
    const session = this.sessions.get(id)
    if (!session) throw new BerthError('NOT_FOUND', `there is no terminal session ${id} on this host (it ended, or the host restarted)`)
    return session
  }

  list(): Session[] {
    return [...this.sessions.values()]
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) session.close()
  }

  private start(spec: TerminalSpec): Promise<TerminalSource> {
    const { kind, container, ...rest } = spec
    if (kind === 'host') {
      if (!this.hostShell) throw new BerthError('UNSUPPORTED', 'this connection cannot open a shell on the host')
      return this.hostShell({ cols: spec.cols, rows: spec.rows })
    }
    if (container === undefined) throw new BerthError('INVALID_INPUT', `${kind} needs a container`)
    if (kind === 'attach') return AttachSource.open(this.docker, { ...rest, container, detachKeys: spec.detachKeys ?? DEFAULT_DETACH_KEYS })
    return ExecSource.open(this.docker, { ...rest, container })
  }

  private sweep(): void {
    const now = Date.now()
    for (const session of [...this.sessions.values()]) {
      const since = session.unwatchedSince
      if (since === undefined) continue
      if (now - since > (session.ended ? UNWATCHED_ENDED_MS : UNWATCHED_LIVE_MS)) session.close()
    }
    if (this.sessions.size === 0) {
      clearInterval(this.sweeper)
      this.sweeper = undefined
    }
  }
}
