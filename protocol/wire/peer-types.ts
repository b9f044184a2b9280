/** The shapes around a Peer: its options, hello, handler and events. */
import type { BerthErrorValue } from '../errors'
import type { Peer } from './peer'

export type PeerRole = 'client' | 'agent'

export interface Hello {
  protocol: number
  version: string
  role: PeerRole
}

export interface RequestContext {
  signal: AbortSignal
  peer: Peer
}

export type RequestHandler = (method: string, params: unknown, ctx: RequestContext) => Promise<unknown>

export interface PeerOptions {
  role: PeerRole
  /** This side's software version, sent in HELLO. */
  version: string
  /** When set, a remote HELLO with another version fails ready() with VERSION_MISMATCH. */
  expectVersion?: string
  handler?: RequestHandler
  maxFrameBytes?: number
  helloTimeoutMs?: number
}

export interface RequestOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

export interface PeerEvents {
  event: [string, unknown]
  protocolError: [BerthErrorValue]
  close: [BerthErrorValue]
}
