import { afterEach, describe, expect, it } from 'vitest'
import { HIGH_WATERMARK_BYTES } from '../../protocol/wire/data-stream'
import { memoryPipe } from '../../protocol/wire/memory-pipe'
import { Peer } from '../../protocol/wire/peer'

const peers: Peer[] = []
afterEach(() => {
  for (const p of peers.splice(0)) p.close()
})

async function pair() {
  const [a, b] = memoryPipe()
  const agent = new Peer(a, { role: 'agent', version: 'v', handler: async () => 'pong' })
  const client = new Peer(b, { role: 'client', version: 'v' })
  peers.push(agent, client)
  await Promise.all([agent.ready, client.ready])
  return { agent, client, agentSide: a }
}

describe('data streams with ack-based flow control', () => {
  it('keeps the data and the end of a stream that finished before anyone claimed it', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    out.write(Buffer.from('said before the answer'))
    out.endWhenFlushed()
    // an empty stream, ended at once, must still report its end to whoever claims it
    const empty = agent.openStream()
    empty.end()
    await new Promise((r) => setTimeout(r, 20))
    const inbound = client.acceptStream(out.id)
    const received: string[] = []
    inbound.on('data', (d) => received.push(d.toString()))
    await new Promise<void>((resolve) => inbound.on('end', () => resolve()))
    expect(received.join('')).toBe('said before the answer')
    const emptyInbound = client.acceptStream(empty.id)
    await new Promise<void>((resolve) => emptyInbound.on('end', () => resolve()))
  })

  it('endWhenFlushed sends everything queued behind the window before ending', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    const inbound = client.acceptStream(out.id, { manualAck: true })
    let bytes = 0
    inbound.on('data', (d) => {
      bytes += d.length
      inbound.consumed(d.length)
    })
    out.write(Buffer.alloc(HIGH_WATERMARK_BYTES * 3))
    out.endWhenFlushed()
    await new Promise<void>((resolve) => inbound.on('end', () => resolve()))
    expect(bytes).toBe(HIGH_WATERMARK_BYTES * 3)
  })

  it('delivers every byte in order', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    const payload = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251
    const inbound = client.acceptStream(out.id)
    const chunks: Buffer[] = []
    const done = new Promise<void>((resolve) => inbound.on('end', () => resolve()))
    inbound.on('data', (d) => chunks.push(d))
    const write = async () => {
      if (!out.write(payload)) await new Promise<void>((r) => out.once('drain', () => r()))
      out.end()
    }
    await Promise.all([write(), done])
    expect(Buffer.concat(chunks).equals(payload)).toBe(true)
  })

  it('stops sending at the high watermark until the receiver consumes', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    const inbound = client.acceptStream(out.id, { manualAck: true })
    let received = 0
    inbound.on('data', (d) => (received += d.length))
    const accepted = out.write(Buffer.alloc(2 * 1024 * 1024))
    expect(accepted).toBe(false)
    await new Promise((r) => setTimeout(r, 50))
    // nothing beyond the window crossed the link while the receiver consumed nothing
    expect(received).toBe(HIGH_WATERMARK_BYTES)
    expect(out.queuedBytes).toBe(2 * 1024 * 1024 - HIGH_WATERMARK_BYTES)
    const drained = new Promise<void>((r) => out.once('drain', () => r()))
    inbound.on('data', (d) => inbound.consumed(d.length))
    inbound.consumed(received)
    await drained
    await expect.poll(() => received).toBe(2 * 1024 * 1024)
  })

  it('keeps control calls fast while a stream is stalled', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    client.acceptStream(out.id, { manualAck: true }).on('data', () => {})
    out.write(Buffer.alloc(8 * 1024 * 1024))
    const started = Date.now()
    await expect(client.request('ping', {})).resolves.toBe('pong')
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('keeps data that arrives before the receiver picks the stream up', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    out.write(Buffer.from('early bytes'))
    await new Promise((r) => setTimeout(r, 20))
    const inbound = client.acceptStream(out.id)
    const text = await new Promise<string>((resolve) => inbound.on('data', (d) => resolve(d.toString())))
    expect(text).toBe('early bytes')
  })

  it('ends open streams with UNREACHABLE when the link drops', async () => {
    const { agent, client, agentSide } = await pair()
    const out = agent.openStream()
    const inbound = client.acceptStream(out.id)
    const ended = new Promise((resolve) => inbound.on('end', resolve))
    agentSide.destroy()
    await expect(ended).resolves.toMatchObject({ code: 'UNREACHABLE' })
  })

  it('passes an end with an error to the other side', async () => {
    const { agent, client } = await pair()
    const out = agent.openStream()
    const inbound = client.acceptStream(out.id)
    const ended = new Promise((resolve) => inbound.on('end', resolve))
    out.end({ code: 'ENGINE_UNAVAILABLE', message: 'engine went away' })
    await expect(ended).resolves.toEqual({ code: 'ENGINE_UNAVAILABLE', message: 'engine went away' })
  })
})
