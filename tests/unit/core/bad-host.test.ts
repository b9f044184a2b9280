/**
 * One misbehaving host's agent never takes the app down for the others: the core closes that
 * host's link with a named protocol error, holds back its flood of events, and relays events
 * only about what belongs to it, while another host's requests and events go on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HostView, TerminalInfo } from '../../../protocol/schema'
import { DATA_CHUNK_BYTES, encodeDataFrame } from '../../../protocol/wire/frames'
import { MAX_EVENTS_PER_HOST_PER_SECOND } from '../../../main/core/hosts/event-guard'
import { coreWithFakeAgents, type CoreWithFakes } from '../../support/fake-agents'

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms))

afterEach(() => {
  vi.restoreAllMocks()
})

function eventsFrom(env: CoreWithFakes, host: string, event: string): Record<string, unknown>[] {
  const hostId = env.hosts[host]!.id
  return env.events.filter((e) => e.event === event && (e.payload as { hostId?: string }).hostId === hostId).map((e) => e.payload as Record<string, unknown>)
}

const change = (id: string, action: string) => ({ id, action, container: null })

describe('a host whose agent misbehaves', () => {
  it('has its link closed with a protocol error naming the stream it flooded, while another host goes on', async () => {
    const env = await coreWithFakeAgents(['good', 'bad'])
    const bad = env.hosts.bad!
    const good = env.hosts.good!
    const terminal = await env.call<TerminalInfo>('terminals.open', { hostId: bad.id, spec: { kind: 'host', cols: 80, rows: 24 } })
    await settle(10)
    const streamId = bad.agent.sessions.get(terminal.terminalId)!.stream.id
    const answers: unknown[] = []
    // 32 MiB past every acknowledgement, in pieces, with the other host's calls between them
    for (let i = 0; i < 512; i++) {
      bad.agent.raw.write(encodeDataFrame(streamId, Buffer.alloc(DATA_CHUNK_BYTES, 0x7a)))
      if (i % 32 === 0) answers.push(await env.call('containers.list', { hostId: good.id }))
    }
    const views = env.events.filter((e) => e.event === 'host.stateChanged').map((e) => e.payload as HostView)
    const badError = views.find((v) => v.id === bad.id && v.error)?.error
    expect(badError).toMatchObject({ code: 'PROTOCOL_ERROR', message: expect.stringContaining(`stream ${streamId}`) })
    expect(answers).toHaveLength(16)
    await expect(env.call('containers.list', { hostId: good.id })).resolves.toEqual([])
    const goodNow = (await env.call<HostView[]>('hosts.list', {})).find((v) => v.id === good.id)
    expect(goodNow?.state).toBe('connected')
  })

  it('has a flood of events held back past the limit, the latest per object kept, and said once in the log', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const env = await coreWithFakeAgents(['good', 'bad'])
    // when each of the flooding host's events reached the windows
    const arrived: number[] = []
    env.core.onEvent((event, payload) => {
      if (event === 'container.stateChanged' && (payload as { hostId: string }).hostId === env.hosts.bad!.id) arrived.push(Date.now())
    })
    const flood = 10 * MAX_EVENTS_PER_HOST_PER_SECOND
    for (let i = 0; i < flood; i++) env.hosts.bad!.agent.peer.emitEvent('container.stateChanged', change(`c${i % 10}`, `a${i}`))
    env.hosts.good!.agent.peer.emitEvent('container.stateChanged', change('g', 'start'))
    await settle(100)
    expect(eventsFrom(env, 'good', 'container.stateChanged')).toEqual([{ ...change('g', 'start'), hostId: env.hosts.good!.id }])
    // a second or so later the latest change of each container has come through
    const last = () => new Map(eventsFrom(env, 'bad', 'container.stateChanged').map((p) => [p.id, p.action]))
    await expect.poll(() => last().get('c9'), { timeout: 10_000 }).toBe(`a${flood - 1}`)
    for (let c = 0; c < 10; c++) expect(last().get(`c${c}`)).toBe(`a${flood - 10 + c}`)
    // no more than the limit came in each second the flood and its held events took (a loaded
    // machine may take more than one second over the flood itself), and most never came
    const seconds = Math.floor((arrived.at(-1)! - arrived[0]!) / 1000) + 1
    expect(arrived.length).toBeLessThanOrEqual(MAX_EVENTS_PER_HOST_PER_SECOND * seconds)
    expect(arrived.length).toBeLessThan(flood / 2)
    const said = warn.mock.calls.filter((args) => String(args[0]).includes('bad'))
    expect(said).toHaveLength(1)
  })

  it('has its events about other hosts\' log follows and pulls dropped, while the host they belong to is heard', async () => {
    const env = await coreWithFakeAgents(['good', 'bad'], {
      'logs.follow': async () => ({ followId: 'follow-good', tty: false }),
      'images.pull': async (params, ctx) => {
        ctx.peer.emitEvent('image.pullProgress', { pullId: params.pullId, layers: [], done: true })
        return { id: 'sha256:1', digest: null, reference: 'alpine:3' }
      },
    })
    const good = env.hosts.good!
    const bad = env.hosts.bad!
    await env.call('logs.follow', { hostId: good.id, id: 'web' })
    await env.call('images.pull', { hostId: good.id, pullId: 'pull-good', reference: 'alpine:3' })
    const lines = { followId: 'follow-good', lines: [{ stream: 'stdout', text: 'not yours' }] }
    bad.agent.peer.emitEvent('logs.lines', lines)
    bad.agent.peer.emitEvent('logs.ended', { followId: 'follow-good', reason: 'stopped' })
    bad.agent.peer.emitEvent('image.pullProgress', { pullId: 'pull-good', layers: [], done: false, error: 'not yours' })
    good.agent.peer.emitEvent('logs.lines', { ...lines, lines: [{ stream: 'stdout', text: 'mine' }] })
    await settle()
    expect(eventsFrom(env, 'bad', 'logs.lines')).toEqual([])
    expect(eventsFrom(env, 'bad', 'logs.ended')).toEqual([])
    expect(eventsFrom(env, 'bad', 'image.pullProgress')).toEqual([])
    expect(eventsFrom(env, 'good', 'logs.lines')).toMatchObject([{ lines: [{ text: 'mine' }] }])
    expect(eventsFrom(env, 'good', 'image.pullProgress')).toMatchObject([{ pullId: 'pull-good', done: true }])
  })
})
