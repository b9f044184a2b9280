import { afterEach, describe, expect, it } from 'vitest'
import { Session } from '../../agent/terminals/session'
import { type SourceInfo, TerminalSource } from '../../agent/terminals/source'
import { HIGH_WATERMARK_BYTES } from '../../protocol/wire/data-stream'
import { memoryPipe } from '../../protocol/wire/memory-pipe'
import { Peer } from '../../protocol/wire/peer'

class FakeSource extends TerminalSource {
  readonly info: SourceInfo = { title: 'fake', command: ['sh'], tty: true }
  readonly keys: Buffer[] = []
  paused = false
  write(data: string | Buffer): void {
    this.keys.push(Buffer.from(data))
  }
  async resize(): Promise<void> {}
  pause(): void {
    this.paused = true
  }
  resume(): void {
    this.paused = false
  }
  close(): void {}
  print(chunk: Buffer): void {
    this.output(chunk)
  }
}

const peers: Peer[] = []
afterEach(() => {
  for (const p of peers.splice(0)) p.close()
})

async function watched() {
  const [a, b] = memoryPipe()
  const agent = new Peer(a, { role: 'agent', version: 'v' })
  const client = new Peer(b, { role: 'client', version: 'v' })
  peers.push(agent, client)
  await Promise.all([agent.ready, client.ready])
  const source = new FakeSource()
  const session = new Session('exec', source, () => {})
  const { stream } = session.watch(agent, 0)
  // main's side, as core/terminals.ts binds it: output acknowledged only once drawn
  const viewer = client.acceptStream(stream.id, { manualAck: true })
  return { source, session, viewer }
}

const settle = () => new Promise((r) => setTimeout(r, 10))

describe('keys on the session stream', () => {
  it('reach the process in order, bytes as sent (a character cut between frames stays whole)', async () => {
    const { source, viewer } = await watched()
    const euro = Buffer.from('€', 'utf8')
    for (const piece of [Buffer.from('ls'), euro.subarray(0, 1), euro.subarray(1), Buffer.from(' -l\r')]) viewer.write(piece)
    await settle()
    expect(Buffer.concat(source.keys).toString('utf8')).toBe('ls€ -l\r')
  })

  it('still arrive at once while a flood of output waits for the screen (Ctrl-C gets through)', async () => {
    const { source, viewer } = await watched()
    let received = 0
    let drawing = false
    viewer.on('data', (d) => {
      received += d.length
      if (drawing) viewer.consumed(d.length)
    })
    // output past the window: the agent stops reading the process until the screen catches up
    source.print(Buffer.alloc(HIGH_WATERMARK_BYTES * 2, 0x79))
    await settle()
    expect(source.paused).toBe(true)
    expect(received).toBe(HIGH_WATERMARK_BYTES)
    viewer.write(Buffer.from('\x03'))
    await settle()
    expect(source.keys.map((k) => k.toString())).toEqual(['\x03'])
    // keys used none of the output's credit: drawing the output resumes the process as before
    drawing = true
    viewer.consumed(received)
    await settle()
    expect(received).toBe(HIGH_WATERMARK_BYTES * 2)
    expect(source.paused).toBe(false)
  })

  it('go nowhere once another viewer has taken the session over', async () => {
    const { source, session, viewer } = await watched()
    const [a, b] = memoryPipe()
    const agent2 = new Peer(a, { role: 'agent', version: 'v' })
    const client2 = new Peer(b, { role: 'client', version: 'v' })
    peers.push(agent2, client2)
    await Promise.all([agent2.ready, client2.ready])
    const { stream } = session.watch(agent2, 0)
    await settle()
    expect(viewer.isEnded).toBe(true)
    expect(viewer.write(Buffer.from('old'))).toBe(false)
    client2.acceptStream(stream.id, { manualAck: true }).write(Buffer.from('new'))
    await settle()
    expect(source.keys.map((k) => k.toString())).toEqual(['new'])
  })
})
