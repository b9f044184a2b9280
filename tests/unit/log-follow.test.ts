import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import type Docker from 'dockerode'
import { describe, expect, it, vi } from 'vitest'
import { LogFollows } from '../../agent/logs/follow'
import type { Peer } from '../../protocol/wire/peer'

/** A stand-in engine whose log streams the test writes to and watches. */
function fakeEngine() {
  const streams: PassThrough[] = []
  const docker = {
    getContainer: () => ({ inspect: async () => ({ Id: 'c1', Config: { Tty: true }, State: { Running: true } }) }),
    modem: {
      dial: (_opts: unknown, cb: (err: unknown, data: unknown) => void) => {
        const s = new PassThrough()
        streams.push(s)
        cb(null, s)
      },
    },
  } as unknown as Docker
  return { docker, streams }
}

function fakePeer() {
  const peer = new EventEmitter() as EventEmitter & { emitEvent: ReturnType<typeof vi.fn> }
  peer.emitEvent = vi.fn()
  return peer
}

const query = { id: 'c1', tail: 0, timestamps: false }

describe('following logs', () => {
  it('stops the engine stream on unfollow, and only for the peer that followed', async () => {
    const { docker, streams } = fakeEngine()
    const follows = new LogFollows(docker)
    const owner = fakePeer()
    const other = fakePeer()
    const { followId } = await follows.start(owner as unknown as Peer, query)
    expect(follows.stop(other as unknown as Peer, followId)).toBe(false)
    expect(streams[0]!.destroyed).toBe(false)
    expect(follows.stop(owner as unknown as Peer, followId)).toBe(true)
    expect(streams[0]!.destroyed).toBe(true)
  })

  it('stops every engine stream of a peer that disconnects', async () => {
    const { docker, streams } = fakeEngine()
    const follows = new LogFollows(docker)
    const peer = fakePeer()
    const stays = fakePeer()
    await follows.start(peer as unknown as Peer, query)
    await follows.start(peer as unknown as Peer, query)
    await follows.start(stays as unknown as Peer, query)
    peer.emit('close', { code: 'UNREACHABLE', message: 'gone' })
    expect(streams.map((s) => s.destroyed)).toEqual([true, true, false])
  })

  it('sends the lines in a batch and says why the follow ended', async () => {
    vi.useFakeTimers()
    try {
      const { docker, streams } = fakeEngine()
      const peer = fakePeer()
      const { followId } = await new LogFollows(docker).start(peer as unknown as Peer, query)
      streams[0]!.write('one\ntwo\n')
      await vi.advanceTimersByTimeAsync(150)
      expect(peer.emitEvent).toHaveBeenCalledWith('logs.lines', {
        followId,
        lines: [{ stream: 'stdout', text: 'one' }, { stream: 'stdout', text: 'two' }],
      })
      streams[0]!.end('last')
      await vi.advanceTimersByTimeAsync(10)
      expect(peer.emitEvent).toHaveBeenCalledWith('logs.lines', { followId, lines: [{ stream: 'stdout', text: 'last' }] })
      expect(peer.emitEvent).toHaveBeenLastCalledWith('logs.ended', { followId, reason: 'ended' })
    } finally {
      vi.useRealTimers()
    }
  })
})
