/**
 * Agentless mode's engine connections: each is a `docker system dial-stdio` exec channel, which
 * costs an SSH round trip and a docker CLI start on the host. They are kept alive and reused, a
 * long stream never makes a list wait, and one that drops is replaced. The "engine" is an HTTP
 * server here; each "channel" a plain duplex to it, with none of a TCP socket's extra methods,
 * as ssh2's channels have none.
 */
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { Duplex } from 'node:stream'
import Docker from 'dockerode'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DialStdioAgent } from '../../../main/core/hosts/agentless'

let engine: Server
let port = 0
let docker: Docker
let agent: DialStdioAgent
const opened: string[] = []
const channels: Duplex[] = []

/**
 * A duplex to the engine as ssh2 gives an exec channel: none of a TCP socket's extra methods
 * (setKeepAlive, ref, unref, setTimeout), and 'close' only once its end has been read.
 */
function channel(): Duplex {
  const socket = connect(port, '127.0.0.1')
  const duplex = new Duplex({
    emitClose: false,
    autoDestroy: false,
    read: () => socket.resume(),
    write: (chunk, _encoding, done) => socket.write(chunk, () => done()),
    final: (done) => socket.end(done),
    destroy: (err, done) => {
      socket.destroy()
      done(err)
      duplex.emit('close')
    },
  })
  socket.on('data', (d: Buffer) => duplex.push(d) || socket.pause())
  // the far side closed: ssh2 ends both halves, and says 'close' once the end is read
  socket.on('end', () => {
    duplex.push(null)
    duplex.end()
  })
  duplex.once('end', () => duplex.emit('close'))
  return duplex
}

beforeEach(async () => {
  engine = createServer((req, res) => {
    // the events stream stays open, as the engine's does
    if (req.url?.startsWith('/events')) return res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders()
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]')
  })
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve))
  port = (engine.address() as AddressInfo).port
  opened.length = 0
  channels.length = 0
  agent = new DialStdioAgent({
    execChannel: async (command: string) => {
      opened.push(command)
      channels.push(channel())
      return channels.at(-1) as never
    },
  })
  docker = new Docker({ protocol: 'http', host: 'engine.invalid', port: 80, agent } as Docker.DockerOptions)
})
afterEach(async () => {
  agent.destroy()
  engine.closeAllConnections()
  await new Promise((resolve) => engine.close(resolve))
})

describe("agentless mode's engine channels", () => {
  it('serves list after list on one channel', async () => {
    for (let i = 0; i < 20; i++) expect(await docker.listContainers()).toEqual([])
    expect(opened).toEqual(['docker system dial-stdio'])
    // nothing piles up on a channel that is used again and again
    expect(channels[0]!.listenerCount('error')).toBeLessThan(5)
  })

  it('opens a second for a request made while the first is busy, and keeps both for later', async () => {
    await Promise.all([docker.listContainers(), docker.listContainers()])
    for (let i = 0; i < 5; i++) await Promise.all([docker.listContainers(), docker.listContainers()])
    expect(opened).toHaveLength(2)
  })

  it('never makes a list wait behind a stream that stays open', async () => {
    const events = (await docker.getEvents()) as NodeJS.ReadableStream & { destroy(): void }
    expect(await docker.listContainers()).toEqual([])
    expect(await docker.listContainers()).toEqual([])
    events.destroy()
    expect(opened).toHaveLength(2)
  })

  it('opens a new channel when the one it kept has ended', async () => {
    await docker.listContainers()
    engine.closeAllConnections()
    await expect.poll(() => Object.keys(agent.freeSockets).length).toBe(0)
    expect(await docker.listContainers()).toEqual([])
    expect(opened).toHaveLength(2)
  })
})
