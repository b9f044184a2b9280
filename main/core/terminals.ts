/**
 * Terminals as the renderer sees them. The processes live in the agent (its daemon outlives a
 * dropped link); this keeps, per terminal, how many bytes of output have arrived, so that when
 * the host's link comes back it resumes the session from exactly there (the agent replays
 * what it kept meanwhile and says how much did not fit).
 *
 * Flow control runs end to end: the agent's stream is acknowledged only when every window
 * that draws the terminal says it has drawn the output (terminals.ack; see WindowCredit), so a
 * flood waits for the slowest screen. Keys travel the other way on the same stream, with
 * credit of their own (see DataStream).
 *
 * A terminal is known by its host and its id: an id from one host's agent never addresses
 * another host's terminal, an ending told by one agent ends none of another's, and an id one
 * host already uses is refused when another agent answers with it (windows know terminals by id).
 */
import { StringDecoder } from 'node:string_decoder'
import { BerthError, toErrorValue } from '../../protocol/errors'
import {
  type HandlersFor,
  type HostView,
  type SessionInfo,
  sessionEvents,
  sessionMethods,
  type TerminalInfo,
  type terminalMethods,
  type TerminalSpec,
} from '../../protocol/schema'
import type { DataStream } from '../../protocol/wire/data-stream'
import type { Peer } from '../../protocol/wire/peer'
import type { HostLink } from './hosts/host-link'
import type { ClientId } from './stats-subscriptions'
import { WindowCredit } from './window-credit'

interface Entry {
  info: TerminalInfo
  peer?: Peer
  stream?: DataStream
  /** Bytes of output received so far: where a resume starts. */
  received: number
  /** What each window has drawn of the output: the agent is acknowledged up to the slowest. */
  credit: WindowCredit
  decoder: StringDecoder
  /** How the process ended, told by the agent before the last output has arrived. */
  ending?: SessionInfo
  resuming?: boolean
  /** Output gathered in this turn of the event loop, sent as one event. */
  pending?: { data: string; bytes: number }
}

const ACTIVE = new Set(['live', 'reconnecting'])

/** Terminal ids are letters, digits and dashes: `@` keeps host and id apart. */
const keyOf = (hostId: string, terminalId: string): string => `${terminalId}@${hostId}`

export class Terminals {
  private readonly entries = new Map<string, Entry>()
  private readonly wiredPeers = new WeakSet<Peer>()
  /** Endings that arrived before the open call's answer (a process that ended at once). */
  private readonly earlyEndings = new Map<string, SessionInfo>()

  constructor(
    private readonly link: (hostId: string) => HostLink,
    private readonly emit: (event: string, payload: unknown) => void,
  ) {}

  readonly handlers: HandlersFor<typeof terminalMethods, ClientId> = {
    'terminals.open': async ({ hostId, spec }, client) => this.open(hostId, spec, client),
    'terminals.input': async ({ hostId, terminalId, data }) => {
      const entry = this.entry(hostId, terminalId)
      const stream = entry.stream
      // keys go as binary frames on the terminal's own stream, which the agent writes straight
      // to the process: no JSON request to build and parse per key, nor an answer beside its echo
      if (stream && !stream.isEnded && entry.info.state === 'live') stream.write(Buffer.from(data, 'utf8'))
      // a resumed terminal whose new stream is not bound yet: a request with no answer wanted
      else this.connectedPeerOf(entry).notify('session.input', { sessionId: terminalId, data })
      return {}
    },
    'terminals.resize': async ({ hostId, terminalId, cols, rows }) => this.call(this.entry(hostId, terminalId), 'session.resize', { cols, rows }),
    'terminals.ack': async ({ hostId, terminalId, bytes }, client) => {
      const entry = this.entry(hostId, terminalId)
      this.pay(entry, entry.credit.ack(client, bytes))
      return {}
    },
    'terminals.close': async ({ hostId, terminalId }) => this.close(hostId, terminalId),
    'terminals.list': async (_params, client) => {
      // a new window starts drawing afresh: what was relayed before counts as drawn by it
      for (const entry of this.entries.values()) this.pay(entry, entry.credit.fresh(client))
      return [...this.entries.values()].map((e) => e.info)
    },
    'terminals.replay': async ({ hostId, terminalId }) => {
      const entry = this.entry(hostId, terminalId)
      const peer = this.link(entry.info.hostId).connectedPeer()
      return sessionMethods['session.replay'].result.parse(await peer.request('session.replay', { sessionId: terminalId }))
    },
  }

  /** Called for every host.stateChanged: marks terminals reconnecting, or resumes them. */
  hostChanged(view: HostView): void {
    for (const entry of this.entries.values()) {
      if (entry.info.hostId !== view.id || !ACTIVE.has(entry.info.state)) continue
      if (view.state === 'connected') void this.resume(entry)
      else if (entry.info.state === 'live' && view.state !== 'installing') {
        this.setState(entry, { state: 'reconnecting', message: `lost the link to ${view.name}; the process goes on there, and this terminal resumes when the link returns` })
      }
    }
  }

  hostRemoved(hostId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.info.hostId !== hostId) continue
      this.entries.delete(key)
      this.setState(entry, { state: 'closed', message: 'the host was removed' })
    }
  }

  /** A window closed or was reloaded: output no longer waits for it. */
  clientGone(client: ClientId): void {
    for (const entry of this.entries.values()) this.pay(entry, entry.credit.leave(client))
  }

  private pay(entry: Entry, bytes: number): void {
    if (bytes > 0) entry.stream?.consumed(bytes)
  }

  private async open(hostId: string, spec: TerminalSpec, client: ClientId): Promise<TerminalInfo> {
    const link = this.link(hostId)
    const peer = link.connectedPeer()
    const opened = sessionMethods['session.open'].result.parse(
      await peer.request('session.open', spec, { timeoutMs: sessionMethods['session.open'].timeoutMs }),
    )
    if ([...this.entries.values()].some((e) => e.info.terminalId === opened.sessionId)) {
      peer.request('session.close', { sessionId: opened.sessionId }).catch(() => {})
      throw new BerthError('PROTOCOL_ERROR', `the agent on ${link.config.name} answered with terminal id ${opened.sessionId}, which is already in use`)
    }
    const entry: Entry = { info: toInfo(hostId, { ...opened, state: 'live' }), received: 0, credit: new WindowCredit(), decoder: new StringDecoder('utf8') }
    entry.credit.fresh(client)
    const key = keyOf(hostId, opened.sessionId)
    const early = this.earlyEndings.get(key)
    this.earlyEndings.delete(key)
    if (early) entry.ending = early
    else if (opened.state !== 'live') entry.ending = opened
    this.entries.set(key, entry)
    // output starts after this answer has gone out, so the window knows the terminal first
    setImmediate(() => this.bind(entry, peer, opened.streamId))
    return entry.info
  }

  private async resume(entry: Entry): Promise<void> {
    const { hostId, terminalId } = entry.info
    let peer: Peer
    try {
      peer = this.link(hostId).connectedPeer()
    } catch {
      return
    }
    if (entry.peer === peer || entry.resuming) return
    entry.resuming = true
    try {
      const resumed = sessionMethods['session.resume'].result.parse(
        await peer.request('session.resume', { sessionId: terminalId, fromOffset: entry.received }),
      )
      if (resumed.gapBytes > 0) {
        // the bytes in between are gone: a character cut there cannot be completed
        entry.decoder = new StringDecoder('utf8')
        entry.received += resumed.gapBytes
      }
      if (resumed.state !== 'live') entry.ending = resumed
      if (resumed.streamId !== undefined) this.bind(entry, peer, resumed.streamId)
      const patch: Partial<TerminalInfo> = { state: 'live', message: undefined, gapBytes: resumed.gapBytes || undefined }
      if (resumed.state === 'live') this.setState(entry, patch)
    } catch (err) {
      const error = toErrorValue(err)
      if (error.code === 'NOT_FOUND') {
        this.setState(entry, { state: 'exited', exitCode: null, message: 'the session is gone from the host (its agent was restarted)' })
      }
    } finally {
      entry.resuming = false
    }
  }

  private bind(entry: Entry, peer: Peer, streamId: number): void {
    const { hostId, terminalId } = entry.info
    this.wirePeer(peer, hostId)
    const stream = peer.acceptStream(streamId, { manualAck: true })
    entry.peer = peer
    entry.stream = stream
    entry.credit.rebind()
    stream.on('data', (chunk) => {
      entry.received += chunk.length
      entry.credit.relay(chunk.length)
      // a keystroke's echo goes out at once; a flood's many small chunks that follow it within
      // the same turn of the event loop go as one event at the end of that turn
      const text = entry.decoder.write(chunk)
      if (entry.pending) {
        entry.pending.data += text
        entry.pending.bytes += chunk.length
        return
      }
      this.emit('terminal.output', { hostId, terminalId, data: text, bytes: chunk.length })
      entry.pending = { data: '', bytes: 0 }
      setImmediate(() => this.flush(entry))
    })
    stream.on('end', (error) => {
      if (entry.stream !== stream) return
      entry.stream = undefined
      entry.peer = undefined
      this.flush(entry)
      const ending = entry.ending
      if (ending && !error) {
        const tail = entry.decoder.end()
        if (tail) this.emit('terminal.output', { hostId, terminalId, data: tail, bytes: 0 })
        this.setState(entry, { state: ending.state === 'detached' ? 'detached' : 'exited', exitCode: ending.exitCode ?? null, message: ending.message })
      }
      // otherwise the link dropped: hostChanged marks it reconnecting and resumes it later
    })
  }

  private flush(entry: Entry): void {
    const pending = entry.pending
    entry.pending = undefined
    if (!pending || pending.bytes === 0) return
    const { hostId, terminalId } = entry.info
    this.emit('terminal.output', { hostId, terminalId, data: pending.data, bytes: pending.bytes })
  }

  /** Endings told by a host's agent, for that host's terminals only. */
  private wirePeer(peer: Peer, hostId: string): void {
    if (this.wiredPeers.has(peer)) return
    this.wiredPeers.add(peer)
    peer.on('event', (event, payload) => {
      if (event !== 'session.ended') return
      const parsed = sessionEvents['session.ended'].safeParse(payload)
      if (!parsed.success) return
      const key = keyOf(hostId, parsed.data.sessionId)
      const entry = this.entries.get(key)
      if (entry) entry.ending = parsed.data
      else if (this.earlyEndings.size < 100) this.earlyEndings.set(key, parsed.data)
    })
  }

  private connectedPeerOf(entry: Entry): Peer {
    if (!ACTIVE.has(entry.info.state)) throw new BerthError('CONFLICT', `this terminal has ${entry.info.state === 'exited' ? 'exited' : entry.info.state}`)
    return this.link(entry.info.hostId).connectedPeer()
  }

  private async call(entry: Entry, method: 'session.resize', params: object): Promise<Record<string, never>> {
    await this.connectedPeerOf(entry).request(method, { sessionId: entry.info.terminalId, ...params })
    return {}
  }

  private async close(hostId: string, terminalId: string): Promise<Record<string, never>> {
    const entry = this.entry(hostId, terminalId)
    this.entries.delete(keyOf(hostId, terminalId))
    this.setState(entry, { state: 'closed', message: undefined })
    try {
      await this.link(entry.info.hostId).connectedPeer().request('session.close', { sessionId: terminalId })
    } catch {
      // an ended session may already be gone; one on a host that is down now ends there
      // when the agent finds nobody has watched it for an hour (agent/terminals/session-table.ts)
    }
    return {}
  }

  private entry(hostId: string, terminalId: string): Entry {
    const entry = this.entries.get(keyOf(hostId, terminalId))
    if (!entry) throw new BerthError('NOT_FOUND', `there is no terminal ${terminalId} on host ${hostId}`)
    return entry
  }

  private setState(entry: Entry, patch: Partial<TerminalInfo>): void {
    const next = { ...entry.info, ...patch } as Record<string, unknown>
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key]
    entry.info = next as TerminalInfo
    this.emit('terminal.state', entry.info)
  }
}

function toInfo(hostId: string, s: SessionInfo): TerminalInfo {
  const info: TerminalInfo = { terminalId: s.sessionId, hostId, kind: s.kind, title: s.title, command: s.command, tty: s.tty, state: s.state }
  if (s.container !== undefined) info.container = s.container
  if (s.detachKeys !== undefined) info.detachKeys = s.detachKeys
  if (s.exitCode !== undefined) info.exitCode = s.exitCode
  if (s.message !== undefined) info.message = s.message
  return info
}
