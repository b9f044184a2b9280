/** The SSH handshake's time limit: 20 s unless the core's environment shortens it (the lab's tests do). */
import { describe, expect, it } from 'vitest'
import { HANDSHAKE_TIMEOUT_MS, handshakeTimeoutMs } from '../../../main/core/ssh/connection'

describe('handshakeTimeoutMs', () => {
  it('is 20 s by default', () => {
    expect(HANDSHAKE_TIMEOUT_MS).toBe(20_000)
    expect(handshakeTimeoutMs({})).toBe(20_000)
  })

  it('takes BERTH_SSH_HANDSHAKE_TIMEOUT_MS from the environment', () => {
    expect(handshakeTimeoutMs({ BERTH_SSH_HANDSHAKE_TIMEOUT_MS: '3000' })).toBe(3_000)
  })

  it('keeps the default for a value that is no positive whole number of milliseconds', () => {
    for (const value of ['', '0', '-5', '2.5', 'soon']) expect(handshakeTimeoutMs({ BERTH_SSH_HANDSHAKE_TIMEOUT_MS: value })).toBe(20_000)
  })
})
