import { afterEach, describe, expect, it } from 'vitest'
import { BerthError } from '../../protocol/errors'
import { PROTOCOL_VERSION } from '../../protocol/schema'
import { encodeJsonFrame, FrameType } from '../../protocol/wire/frames'
import { memoryPipe } from '../../protocol/wire/memory-pipe'
import { Peer, type RequestHandler } from '../../protocol/wire/peer'

const peers: Peer[] = []
afterEach(() => {
  for (const p of peers.splice(0)) p.close()
})

function connect(handler: RequestHandler, opts: { agentVersion?: string; expectVersion?: string } = {}) {
  const [a, b] = memoryPipe()
  const agent = new Peer(a, { role: 'agent', version: opts.agentVersion ?? '1.0.0', handler })
  const client = new Peer(b, { role: 'client', version: '1.0.0', expectVersion: opts.expectVersion ?? '1.0.0' })
  peers.push(agent, client)
  return { agent, client, agentSide: a, clientSide: b }
}

const echo: RequestHandler = async (method, params) => ({ method, params })

describe('Peer over an in-memory pipe', () => {
  it('says hello with protocol and version, then answers requests', async () => {
    const { client } = connect(echo)
    const hello = await client.ready
    expect(hello).toEqual({ protocol: PROTOCOL_VERSION, version: '1.0.0', role: 'agent' })
    await expect(client.request('containers.list', { a: 1 })).resolves.toEqual({ method: 'containers.list', params: { a: 1 } })
  })

  it('runs a notification in order with requests and sends no answer for it', async () => {
    const seen: string[] = []
    const { client, clientSide } = connect(async (method, params) => {
      seen.push(`${method}:${(params as { n: number }).n}`)
      if ((params as { n: number }).n === 2) throw new Error('refused')
      return {}
    })
    await client.ready
    const frames: Buffer[] = []
    clientSide.on('data', (d: Buffer) => frames.push(d))
    client.notify('session.input', { n: 1 })
    client.notify('session.input', { n: 2 })
    await client.request('session.resize', { n: 3 })
    expect(seen).toEqual(['session.input:1', 'session.input:2', 'session.resize:3'])
    // one answer came back: the request's; none for the notifications, failed or not
    expect(Buffer.concat(frames).toString('latin1').match(/"ok"/g)).toHaveLength(1)
  })

  it('carries handler errors as values with their code', async () => {
    const { client } = connect(async () => {
      throw new BerthError('NOT_FOUND', 'No such container: nope', { id: 'nope' })
    })
    const err = await client.request('containers.start', { id: 'nope' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BerthError)
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'No such container: nope', detail: { id: 'nope' } })
  })

  it('turns unexpected exceptions into INTERNAL without crashing the agent', async () => {
    const { client } = connect(async (method) => {
      if (method === 'boom') throw new TypeError('x is undefined')
      return 'fine'
    })
    await expect(client.request('boom', {})).rejects.toMatchObject({ code: 'INTERNAL', message: 'x is undefined' })
    await expect(client.request('other', {})).resolves.toBe('fine')
  })

  it('fails a request that takes too long with TIMEOUT and cancels it on the agent', async () => {
    let aborted = false
    const { client } = connect(
      (_m, _p, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true
            resolve('late')
          })
        }),
    )
    await expect(client.request('slow', {}, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'TIMEOUT' })
    await expect.poll(() => aborted).toBe(true)
  })

  it('cancels a request when the caller aborts', async () => {
    let abortedOnAgent = false
    const { client } = connect(
      (_m, _p, ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => (abortedOnAgent = true))
        }),
    )
    const controller = new AbortController()
    const pending = client.request('slow', {}, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' })
    await expect.poll(() => abortedOnAgent).toBe(true)
  })

  it('fails pending requests with UNREACHABLE when the link closes', async () => {
    const { client, agentSide } = connect(() => new Promise(() => {}))
    await client.ready
    const pending = client.request('hang', {})
    setTimeout(() => agentSide.destroy(), 20)
    await expect(pending).rejects.toMatchObject({ code: 'UNREACHABLE' })
    await expect(client.request('after', {})).rejects.toMatchObject({ code: 'UNREACHABLE' })
  })

  it('refuses an agent of another version with VERSION_MISMATCH naming both versions', async () => {
    const { client } = connect(echo, { agentVersion: '0.9.0', expectVersion: '1.0.0' })
    await expect(client.ready).rejects.toMatchObject({
      code: 'VERSION_MISMATCH',
      detail: { remoteVersion: '0.9.0', expectedVersion: '1.0.0' },
    })
    await expect(client.request('x', {})).rejects.toMatchObject({ code: 'VERSION_MISMATCH' })
  })

  it('delivers events', async () => {
    const { client, agent } = connect(echo)
    await client.ready
    const got = new Promise((resolve) => client.on('event', (name, payload) => resolve({ name, payload })))
    agent.emitEvent('container.stateChanged', { id: 'abc' })
    await expect(got).resolves.toEqual({ name: 'container.stateChanged', payload: { id: 'abc' } })
  })
})

describe('a peer facing malformed input', () => {
  /** A raw end that sends hand-made bytes to a real agent Peer and collects its frames. */
  async function rawAgent(opts: { maxFrameBytes?: number } = {}) {
    const [a, b] = memoryPipe()
    const agent = new Peer(a, { role: 'agent', version: '1.0.0', handler: echo, ...opts })
    peers.push(agent)
    const received: Buffer[] = []
    b.on('data', (chunk: Buffer) => received.push(chunk))
    b.write(encodeJsonFrame(FrameType.HELLO, { protocol: PROTOCOL_VERSION, version: 'x', role: 'client' }))
    await agent.ready
    const text = () => Buffer.concat(received).toString('latin1')
    return { agent, raw: b, text }
  }

  it('answers a frame with broken JSON with an error and keeps serving', async () => {
    const { raw, text } = await rawAgent()
    const bad = Buffer.from([0, 0, 0, 4, FrameType.REQUEST, 0x7b, 0x7b, 0x7b])
    raw.write(bad)
    raw.write(encodeJsonFrame(FrameType.REQUEST, { id: 7, method: 'still', params: {} }))
    await expect.poll(text).toContain('does not hold valid JSON')
    await expect.poll(text).toContain('"id":7,"ok":true')
  })

  it('skips an oversized frame without buffering it, answers with an error, and keeps serving', async () => {
    const { raw, text, agent } = await rawAgent({ maxFrameBytes: 1024 })
    const huge = Buffer.alloc(4 + 1 + 5000, 0x61)
    huge.writeUInt32BE(5001, 0)
    huge.writeUInt8(FrameType.REQUEST, 4)
    // sent in pieces, as a network would
    raw.write(huge.subarray(0, 100))
    raw.write(huge.subarray(100, 3000))
    raw.write(huge.subarray(3000))
    raw.write(encodeJsonFrame(FrameType.REQUEST, { id: 8, method: 'after', params: {} }))
    await expect.poll(text).toContain('exceeds the limit of 1024 bytes')
    await expect.poll(text).toContain('"id":8,"ok":true')
    expect(agent.isClosed).toBe(false)
  })

  it('answers unknown frame types and requests without ids with errors', async () => {
    const { raw, text, agent } = await rawAgent()
    raw.write(Buffer.from([0, 0, 0, 3, 99, 0x7b, 0x7d]))
    raw.write(encodeJsonFrame(FrameType.REQUEST, { method: 'noid' }))
    raw.write(encodeJsonFrame(FrameType.REQUEST, 'just a string'))
    await expect.poll(text).toContain('unknown frame type 99')
    await expect.poll(text).toContain('a request needs a numeric id')
    await expect.poll(text).toContain('is not an object')
    expect(agent.isClosed).toBe(false)
  })

  it('refuses requests sent before hello', async () => {
    const [a, b] = memoryPipe()
    const agent = new Peer(a, { role: 'agent', version: '1.0.0', handler: echo })
    peers.push(agent)
    const received: Buffer[] = []
    b.on('data', (c: Buffer) => received.push(c))
    b.write(encodeJsonFrame(FrameType.REQUEST, { id: 1, method: 'early', params: {} }))
    await expect.poll(() => Buffer.concat(received).toString()).toContain('a frame arrived before hello')
  })
})
