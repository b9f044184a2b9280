import { describe, expect, it } from 'vitest'
import { LogBatcher } from '../../agent/logs/batcher'
import { LogDecoder, MAX_LINE_BYTES, utf8SafeLength } from '../../agent/logs/lines'
import type { LogLine } from '../../protocol/schema'
import { agentMethods } from '../../protocol/schema'

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

function decode(tty: boolean, chunks: Buffer[], timestamps = false): LogLine[] {
  const lines: LogLine[] = []
  const d = new LogDecoder(tty, timestamps, (l) => lines.push(l))
  for (const c of chunks) d.push(c)
  d.end()
  return lines
}

describe('log decoding', () => {
  it('tells stdout from stderr in multiplexed frames, whatever the chunking', () => {
    const all = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'out2\n')])
    const oneByteChunks = [...all].map((b) => Buffer.from([b]))
    const expected = [
      { stream: 'stdout', text: 'out1' },
      { stream: 'stderr', text: 'err1' },
      { stream: 'stdout', text: 'out2' },
    ]
    expect(decode(false, [all])).toEqual(expected)
    expect(decode(false, oneByteChunks)).toEqual(expected)
  })

  it('marks a TTY log stdout and drops the \\r of its line ends', () => {
    expect(decode(true, [Buffer.from('a\r\nb\r\n')])).toEqual([
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'b' },
    ])
  })

  it('keeps a multi-byte character whole when a chunk ends inside it', () => {
    const bytes = Buffer.from('héllo ✓\n')
    expect(decode(true, [bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual([
      { stream: 'stdout', text: 'héllo ✓' },
    ])
  })

  it('splits an endless line at a character boundary, never inside one', () => {
    const long = '✓'.repeat(MAX_LINE_BYTES) // 3 bytes each
    const lines = decode(true, [Buffer.from(long)])
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.map((l) => l.text).join('')).toBe(long)
    for (const l of lines) expect(l.text).not.toContain('\uFFFD')
    expect(utf8SafeLength(Buffer.from('a✓'), 2)).toBe(1)
  })

  it('takes the engine timestamp off the front of each line', () => {
    const lines = decode(false, [frame(1, '2026-11-27T22:00:00.123456789Z hello world\n')], true)
    expect(lines).toEqual([{ stream: 'stdout', time: '2026-11-27T22:00:00.123456789Z', text: 'hello world' }])
  })
})

describe('log batching', () => {
  it('keeps the first and last lines of a flood and counts the middle as skipped', () => {
    const batches: Array<{ lines: LogLine[]; skipped: number }> = []
    const b = new LogBatcher((x) => batches.push(x), 1000, 100)
    for (let i = 0; i < 1000; i++) b.add({ stream: 'stdout', text: `line ${i}` })
    b.flush()
    expect(batches).toHaveLength(1)
    const [batch] = batches
    const sent = batch!.lines.map((l) => l.text)
    expect(sent[0]).toBe('line 0')
    expect(sent.at(-1)).toBe('line 999')
    expect(sent.length + batch!.skipped).toBe(1000)
    expect(batch!.skipped).toBeGreaterThan(900)
    b.dispose()
  })
})

describe('logs.read parameters', () => {
  const parse = (p: unknown) => agentMethods['logs.read'].params.safeParse(p)
  it('takes unix seconds or RFC 3339 times and defaults the tail', () => {
    const ok = parse({ id: 'web', since: '2026-01-01T00:00:00Z', until: 1_800_000_000 })
    expect(ok.success && ok.data).toMatchObject({ since: '1767225600.000000000', until: '1800000000.000000000', tail: 1000, timestamps: false })
    // to the nanosecond, as the engine stamps lines; offsets are honoured
    const fine = parse({ id: 'web', since: '2026-01-01T01:00:00.123456789+01:00', until: 1_800_000_000.5 })
    expect(fine.success && fine.data).toMatchObject({ since: '1767225600.123456789', until: '1800000000.500000000' })
  })
  it('refuses bad input with a message that names the problem', () => {
    expect(parse({ id: 'web', tail: 100_001 }).error?.issues[0]?.message).toMatch(/at most 100000/)
    expect(parse({ id: 'web', since: 'yesterday' }).error?.issues[0]?.message).toMatch(/RFC 3339/)
    expect(parse({ id: 'web', since: 20, until: 10 }).error?.issues[0]?.message).toMatch(/since must not be later/)
  })
})
