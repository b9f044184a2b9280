/**
 * What carries the typed API between the renderer and the core. Electron's preload exposes a
 * Transport as `window.berthBridge`; the browser shell uses a WebSocket (ws-transport.ts).
 * Both answer with the same envelope, so errors arrive as values rather than thrown Error
 * instances, which lose everything but their message over Electron IPC.
 */

export interface WireError {
  code: string
  message: string
  detail?: Record<string, unknown>
}

export type Envelope = { ok: true; result: unknown } | { ok: false; error: WireError }

export interface Transport {
  invoke(method: string, params: unknown): Promise<Envelope>
  on(event: string, listener: (payload: unknown) => void): () => void
}

/** Implemented by transports whose link can drop (the WebSocket one); the Electron bridge cannot. */
export interface ConnectionAware {
  onConnectionChange(listener: (connected: boolean) => void): () => void
}
