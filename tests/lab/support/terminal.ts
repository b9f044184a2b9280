/** A terminal seen through the core's API, as the renderer sees it: output, state, acks. */
import { expect } from 'vitest'
import type { TerminalInfo, TerminalSpec } from '../../../protocol/schema'
import { call, type TestCore } from './core'

export class TestTerminal {
  text = ''
  received = 0
  info: TerminalInfo
  /** Acknowledge output as it arrives (a renderer that keeps up); false models a stalled one. */
  autoAck = true
  private unacked = 0

  private constructor(
    private readonly t: TestCore,
    info: TerminalInfo,
  ) {
    this.info = info
    t.core.onEvent((event, payload) => {
      const p = payload as { terminalId?: string }
      if (p.terminalId !== this.info.terminalId) return
      if (event === 'terminal.output') {
        const out = payload as { data: string; bytes: number }
        this.text += out.data
        this.received += out.bytes
        this.unacked += out.bytes
        if (this.autoAck) void this.ack()
      } else if (event === 'terminal.state') {
        this.info = payload as TerminalInfo
      }
    })
  }

  static async open(t: TestCore, hostId: string, spec: TerminalSpec): Promise<TestTerminal> {
    const info = await call(t.core, 'terminals.open', { hostId, spec })
    return new TestTerminal(t, info)
  }

  get id(): string {
    return this.info.terminalId
  }

  async ack(): Promise<void> {
    const bytes = this.unacked
    this.unacked = 0
    if (bytes > 0) await call(this.t.core, 'terminals.ack', { hostId: this.info.hostId, terminalId: this.id, bytes })
  }

  type(data: string): Promise<unknown> {
    return call(this.t.core, 'terminals.input', { hostId: this.info.hostId, terminalId: this.id, data })
  }

  resize(cols: number, rows: number): Promise<unknown> {
    return call(this.t.core, 'terminals.resize', { hostId: this.info.hostId, terminalId: this.id, cols, rows })
  }

  close(): Promise<unknown> {
    return call(this.t.core, 'terminals.close', { hostId: this.info.hostId, terminalId: this.id })
  }

  /** Waits until the output (from `from` on) matches, and returns the match. */
  async waitFor(pattern: RegExp, timeout = 10_000, from = 0): Promise<RegExpMatchArray> {
    await expect.poll(() => pattern.test(this.text.slice(from)), { timeout, interval: 50 }).toBe(true).catch((e) => this.explain(e))
    return this.text.slice(from).match(pattern)!
  }

  async waitForState(state: TerminalInfo['state'], timeout = 10_000): Promise<TerminalInfo> {
    await expect.poll(() => this.info.state, { timeout, interval: 50 }).toBe(state).catch((e) => this.explain(e))
    return this.info
  }

  /** A failed wait says what the terminal showed and what state it was in. */
  private explain(err: Error): never {
    throw new Error(`${err.message}\nterminal: ${JSON.stringify(this.info)}\nlast output: ${JSON.stringify(this.text.slice(-400))}`)
  }
}
