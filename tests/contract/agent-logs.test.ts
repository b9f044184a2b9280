/** logs.read, logs.follow and logs.unfollow against the engine's log stream (multiplexed, or raw for a TTY). */
import { beforeEach, describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'

const agent = agentForEachTest()
beforeEach(() => {
  const web = agent.state.container('web')
  agent.state.logs.set(web.Id, [
    { stream: 1, time: '2024-03-01T10:00:00.000000001Z', text: '172.17.0.1 - - "GET / HTTP/1.1" 200 615' },
    { stream: 2, time: '2024-03-01T10:00:01.500000000Z', text: '2024/03/01 10:00:01 [warn] 29#29: *1 upstream is slow' },
    { stream: 1, time: '2024-03-01T10:00:02.000000000Z', text: 'héllo wörld ✓' },
  ])
  agent.state.logs.set(agent.state.container('shell').Id, [{ stream: 1, time: '2024-03-01T10:00:00.000000000Z', text: '/ # ls' }])
})

interface Lines {
  followId: string
  lines: Array<{ stream: string; text: string }>
}

describe('logs.read', () => {
  it("splits the engine's multiplexed stream into lines marked stdout or stderr", async () => {
    const page = await agent.call('logs.read', { id: 'web' })
    expect(page).toEqual({
      tty: false,
      truncated: false,
      lines: [
        { stream: 'stdout', text: '172.17.0.1 - - "GET / HTTP/1.1" 200 615' },
        { stream: 'stderr', text: '2024/03/01 10:00:01 [warn] 29#29: *1 upstream is slow' },
        { stream: 'stdout', text: 'héllo wörld ✓' },
      ],
    })
    expect(Object.fromEntries(agent.engine.requested('GET', '/containers/')[1]!.query)).toMatchObject({ stdout: 'true', stderr: 'true', follow: 'false', tail: '1000' })
  })

  it('gives the times the engine stamped, to the nanosecond, when asked', async () => {
    const page = await agent.call('logs.read', { id: 'web', timestamps: true, tail: 2 })
    expect(page.lines.map((l) => l.time)).toEqual(['2024-03-01T10:00:01.500000000Z', '2024-03-01T10:00:02.000000000Z'])
  })

  it('sends since and until as the engine reads them (seconds.nanoseconds)', async () => {
    const page = await agent.call('logs.read', { id: 'web', since: '2024-03-01T10:00:00.5Z', until: '2024-03-01T10:00:01.5Z' })
    const sent = agent.engine.requested('GET', /\/logs$/)[0]!.query
    expect([sent.get('since'), sent.get('until')]).toEqual(['1709287200.500000000', '1709287201.500000000'])
    expect(page.lines.map((l) => l.stream)).toEqual(['stderr'])
  })

  it("reads a TTY container's log as one raw stream, all of it stdout", async () => {
    expect(await agent.call('logs.read', { id: 'shell' })).toEqual({ tty: true, truncated: false, lines: [{ stream: 'stdout', text: '/ # ls' }] })
  })

  it('says NOT_FOUND for a container that is not there', async () => {
    await expect(agent.call('logs.read', { id: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such container: ghost' })
  })

  it('refuses a since later than until before asking the engine', async () => {
    await expect(agent.call('logs.read', { id: 'web', since: 200, until: 100 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})

describe('logs.follow', () => {
  it('sends the backlog and then each new line as logs.lines events', async () => {
    const { followId, tty } = await agent.call('logs.follow', { id: 'web', tail: 1 })
    expect(tty).toBe(false)
    const backlog = await agent.client.nextEvent<Lines>('logs.lines', (e) => e.followId === followId)
    expect(backlog.lines).toEqual([{ stream: 'stdout', text: 'héllo wörld ✓' }])
    agent.state.write(agent.state.container('web'), 2, 'worker 31 started')
    await agent.client.nextEvent<Lines>('logs.lines', (e) => e.lines.some((l) => l.text === 'worker 31 started' && l.stream === 'stderr'))
  })

  it('says the follow ended because the container stopped', async () => {
    const { followId } = await agent.call('logs.follow', { id: 'web', tail: 0 })
    await agent.call('containers.stop', { id: 'web' })
    expect(await agent.client.nextEvent('logs.ended', (e) => e.followId === followId)).toEqual({ followId, reason: 'stopped' })
  })

  it('stops on logs.unfollow: the engine stream closes and no more lines come', async () => {
    const { followId } = await agent.call('logs.follow', { id: 'web', tail: 0 })
    expect(await agent.call('logs.unfollow', { followId })).toEqual({ stopped: true })
    await expect.poll(() => agent.state.followers(agent.state.container('web').Id).size).toBe(0)
    agent.state.write(agent.state.container('web'), 1, 'after the unfollow')
    await new Promise((r) => setTimeout(r, 250))
    expect(agent.client.received<Lines>('logs.lines').flatMap((e) => e.lines.map((l) => l.text))).not.toContain('after the unfollow')
    // a second unfollow finds nothing to stop
    expect(await agent.call('logs.unfollow', { followId })).toEqual({ stopped: false })
  })

  it("lets only the connection that started a follow stop it, and stops them all when it goes", async () => {
    const other = await agent.connect()
    const { followId } = await other.call('logs.follow', { id: 'web', tail: 0 })
    expect(await agent.call('logs.unfollow', { followId })).toEqual({ stopped: false })
    other.peer.close()
    await expect.poll(() => agent.state.followers(agent.state.container('web').Id).size).toBe(0)
  })
})
