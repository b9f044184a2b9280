/**
 * The shapes around a Peer that do not name it: hello, request options and events. Those that
 * do (its options, handler and request context) live in peer.ts, so the two never import each other.
 */
import type { BerthErrorValue } from '../errors'

export type PeerRole = 'client' | 'agent'

export interface Hello {
  protocol: number
  version: string
  role: PeerRole
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
