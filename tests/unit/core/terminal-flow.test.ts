/**
 * Terminals between fake agents and windows: output goes no faster than the slowest window
 * that draws it, acknowledgements pay back only what was relayed, and a terminal belongs to
 * the host whose agent opened it.
 */
import { describe, expect, it } from 'vitest'
import type { TerminalInfo } from '../../../protocol/schema'
import { MAX_UNACKED_RECEIVED_BYTES } from '../../../protocol/wire/data-stream'
import { DATA_CHUNK_BYTES } from '../../../protocol/wire/frames'
import { coreWithFakeAgents, type CoreWithFakes, type FakeAgent } from '../../support/fake-agents'

const spec = { kind: 'host', cols: 80, rows: 24 }
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms))

async function openTerminal(env: CoreWithFakes, host: string, client?: string): Promise<{ info: TerminalInfo; agentStream: FakeAgent['sessions'] extends Map<string, infer S> ? S : never }> {
  const info = await env.call<TerminalInfo>('terminals.open', { hostId: env.hosts[host]!.id, spec }, client)
  await settle(10)
  return { info, agentStream: env.hosts[host]!.agent.sessions.get(info.terminalId)! }
}

/** The agent writes `total` bytes as a well-behaved sender does: only while it has credit. */
function flood(agent: { stream: FakeAgent['sessions'] extends Map<string, infer S> ? S extends { stream: infer D } ? D : never : never }, total: number): { sent: () => number } {
  let sent = 0
  const step = () => {
    while (sent < total) {
      sent += DATA_CHUNK_BYTES
      if (!agent.stream.write(Buffer.alloc(DATA_CHUNK_BYTES, 0x79))) return void agent.stream.once('drain', step)
    }
  }
  step()
  return { sent: () => sent }
}

function relayedTo(env: CoreWithFakes, terminalId: string): number {
  let bytes = 0
  for (const e of env.events) if (e.event === 'terminal.output' && (e.payload as { terminalId: string }).terminalId === terminalId) bytes += (e.payload as { bytes: number }).bytes
  return bytes
}

describe('terminal output and the windows that draw it', () => {
  it('goes no further than the slowest window has drawn, and goes on when that window goes', { timeout: 30_000 }, async () => {
    const env = await coreWithFakeAgents(['box'])
    const { info, agentStream } = await openTerminal(env, 'box', 'fast')
    // a second window that shows terminals but draws nothing (a frozen tab)
    await env.call('terminals.list', {}, 'frozen')
    const ack = { hostId: info.hostId, terminalId: info.terminalId }
    const off = env.core.onEvent((event, payload) => {
      const p = payload as { terminalId?: string; bytes?: number }
      if (event === 'terminal.output' && p.terminalId === info.terminalId && p.bytes) void env.core.invoke('terminals.ack', { ...ack, bytes: p.bytes }, 'fast')
    })
    const total = 4 * 1024 * 1024
    flood(agentStream, total)
    await settle(300)
    expect(relayedTo(env, info.terminalId)).toBeLessThanOrEqual(MAX_UNACKED_RECEIVED_BYTES)
    await env.core.clientGone('frozen')
    await expect.poll(() => relayedTo(env, info.terminalId), { timeout: 20_000 }).toBe(total)
    off()
  })
})

describe('terminals keyed by host', () => {
  it('refuses a terminal id another host already uses, and one host cannot address or end the other host\'s terminal', async () => {
    const env = await coreWithFakeAgents(['good', 'bad'])
    const { info } = await openTerminal(env, 'good')
    const good = env.hosts.good!
    const bad = env.hosts.bad!
    bad.agent.nextSessionId = info.terminalId
    await expect(env.call('terminals.open', { hostId: bad.id, spec })).rejects.toMatchObject({ code: 'PROTOCOL_ERROR' })
    // the terminal id with the other host's id names nothing
    await expect(env.call('terminals.input', { hostId: bad.id, terminalId: info.terminalId, data: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // keys still reach the host that holds the terminal
    const keys: string[] = []
    good.agent.sessions.get(info.terminalId)!.stream.on('data', (d) => keys.push(d.toString()))
    await env.call('terminals.input', { hostId: good.id, terminalId: info.terminalId, data: 'ls\n' })
    await expect.poll(() => keys.join('')).toBe('ls\n')
    // an ending told by the other host's agent is not this terminal's
    bad.agent.peer.emitEvent('session.ended', { ...good.agent.sessions.get(info.terminalId)!.info, state: 'exited', exitCode: 0 })
    await settle()
    good.agent.sessions.get(info.terminalId)!.stream.end()
    await settle()
    const states = env.events.filter((e) => e.event === 'terminal.state').map((e) => (e.payload as TerminalInfo).state)
    expect(states).not.toContain('exited')
  })
})
