import { describe, expect, it } from 'vitest'
import { ReplayBuffer } from '../../agent/terminals/replay-buffer'

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8')

describe('the replay buffer of a terminal', () => {
  it('replays from any offset it still holds, across chunks', () => {
    const buffer = new ReplayBuffer(100)
    buffer.push(Buffer.from('hello '))
    buffer.push(Buffer.from('world'))
    expect(buffer.end).toBe(11)
    expect(text(buffer.from(0).chunks)).toBe('hello world')
    expect(text(buffer.from(3).chunks)).toBe('lo world')
    expect(text(buffer.from(6).chunks)).toBe('world')
    expect(buffer.from(11)).toEqual({ chunks: [], gapBytes: 0 })
  })

  it('keeps only the newest bytes and reports how many an old offset missed', () => {
    const buffer = new ReplayBuffer(10)
    for (let i = 0; i < 5; i++) buffer.push(Buffer.from(`line-${i}\n`))
    expect(buffer.end).toBe(35)
    const replay = buffer.from(0)
    expect(text(replay.chunks)).toBe('-3\nline-4\n')
    expect(replay.gapBytes).toBe(25)
    expect(buffer.from(30).gapBytes).toBe(0)
  })

  it('never starts a replay inside a UTF-8 character', () => {
    const buffer = new ReplayBuffer(5)
    buffer.push(Buffer.from('ab€€'))
    // 8 bytes, 5 kept: the cut lands inside the first euro sign, so it is dropped whole
    const replay = buffer.from(0)
    expect(text(replay.chunks)).toBe('€')
    expect(replay.gapBytes).toBe(5)
  })
})
