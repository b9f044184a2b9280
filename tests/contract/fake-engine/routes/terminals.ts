/**
 * Exec and attach: the engine hands the raw connection over (HTTP 101) and it carries the
 * terminal both ways. Behind a TTY runs a tiny shell that echoes keys and knows `echo`,
 * `stty size` and `exit N`, enough to see keys arrive, output come back and an ending reported.
 */
import type { Socket } from 'node:net'
import type { FakeEngine } from '../server'
import { upgraded } from '../server'
import { EngineFault, jsonBody, muxFrame, sendJson } from '../http'
import type { ContainerJson } from '../shapes'
import { randomId, type ExecModel } from '../state'

const PROMPT = '/ # '
/** The detach sequence as bytes: ctrl-p then ctrl-q (`docker attach`'s default). */
const CTRL = { p: 0x10, q: 0x11, c: 0x03 }

/** A shell on a TTY: echoes what is typed and runs each line it gets. */
class FakeShell {
  private line = ''
  private ended = false

  constructor(
    private readonly socket: Socket,
    private readonly size: () => { h: number; w: number } | undefined,
    private readonly onExit: (code: number) => void,
    private readonly onDetach?: () => void,
  ) {
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => this.keys(chunk))
  }

  start(): void {
    this.socket.write(PROMPT)
  }

  /** Runs one command line, as `sh -c` does; the answer is its output and exit code. */
  static run(line: string, size?: { h: number; w: number }): { output: string; exit?: number } {
    const [cmd = '', ...args] = line.trim().split(/\s+/)
    if (cmd === '') return { output: '' }
    if (cmd === 'exit') return { output: '', exit: Number(args[0] ?? 0) }
    if (cmd === 'echo') return { output: `${args.join(' ')}\r\n` }
    if (cmd === 'stty' && args[0] === 'size') return { output: `${size?.h ?? 24} ${size?.w ?? 80}\r\n` }
    return { output: `/bin/sh: ${cmd}: not found\r\n` }
  }

  finish(code: number): void {
    if (this.ended) return
    this.ended = true
    this.onExit(code)
    this.socket.end()
  }

  private keys(chunk: Buffer): void {
    for (let i = 0; i < chunk.length && !this.ended; i++) {
      const byte = chunk[i]!
      if (this.onDetach && byte === CTRL.p && chunk[i + 1] === CTRL.q) {
        this.ended = true
        this.onDetach()
        return void this.socket.end()
      }
      if (byte === CTRL.c) {
        this.line = ''
        this.socket.write(`^C\r\n${PROMPT}`)
      } else if (byte === 0x0d || byte === 0x0a) {
        this.socket.write('\r\n')
        const { output, exit } = FakeShell.run(this.line, this.size())
        this.line = ''
        if (exit !== undefined) return this.finish(exit)
        this.socket.write(`${output}${PROMPT}`)
      } else {
        this.line += String.fromCharCode(byte)
        this.socket.write(Buffer.from([byte]))
      }
    }
  }
}

const isShell = (cmd: string[]): boolean => cmd.length === 1 && /(^|\/)(ba)?sh$/.test(cmd[0]!)

export function terminalRoutes(engine: FakeEngine): void {
  const s = engine.state
  const live = new Map<string, FakeShell>()

  const runningContainer = (ref: string): ContainerJson => {
    const c = s.container(ref)
    if (c.State.Paused) throw new EngineFault(409, `Container ${c.Id} is paused, unpause the container before exec`)
    if (!c.State.Running) throw new EngineFault(409, `Container ${c.Id} is not running`)
    return c
  }

  engine.route('POST /containers/{id}/exec', (req, res) => {
    const c = runningContainer(req.params.id!)
    const body = jsonBody<{ Cmd: string[]; Tty?: boolean; Env?: string[]; User?: string; ConsoleSize?: [number, number] }>(req)
    const exec: ExecModel = {
      id: randomId(), containerId: c.Id, cmd: body.Cmd, tty: body.Tty ?? false, env: body.Env ?? [], user: body.User ?? '',
      running: false, exitCode: null, resizes: body.ConsoleSize ? [{ h: body.ConsoleSize[0], w: body.ConsoleSize[1] }] : [], detached: false,
    }
    s.execs.set(exec.id, exec)
    sendJson(res, 201, { Id: exec.id })
  })

  /** A detached start: runs to its end at once. The agent's hang-up sends SIGHUP to the execs carrying a marker. */
  engine.route('POST /exec/{id}/start', (req, res) => {
    const exec = s.exec(req.params.id!)
    exec.detached = true
    const [, , script = '', , marker = ''] = exec.cmd
    // sh by name or by path (/bin/sh), as the image's shell would run it
    if (/^(\/bin\/)?sh$/.test(exec.cmd[0] ?? '') && script.includes('kill -HUP')) {
      for (const other of s.execs.values()) if (other.running && other.env.includes(marker)) live.get(other.id)?.finish(129)
    }
    exec.exitCode = 0
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end()
  })

  engine.hijack('POST /exec/{id}/start', (req, socket) => {
    const exec = s.exec(req.params.id!)
    const c = runningContainer(exec.containerId)
    upgraded(socket)
    exec.running = true
    const done = (code: number): void => {
      exec.running = false
      exec.exitCode = code
      live.delete(exec.id)
    }
    const oneShot = isShell(exec.cmd) ? undefined : exec.cmd[0] === 'sh' && exec.cmd[1] === '-c' ? exec.cmd[2]! : exec.cmd.join(' ')
    if (oneShot !== undefined) {
      const { output, exit } = FakeShell.run(oneShot, exec.resizes.at(-1))
      socket.end(output)
      return done(exit ?? 0)
    }
    const shell = new FakeShell(socket, () => exec.resizes.at(-1), done)
    live.set(exec.id, shell)
    // the container's end takes its execs with it
    const follower = { write: () => {}, end: () => shell.finish(137) }
    s.followers(c.Id).add(follower)
    socket.on('close', () => s.followers(c.Id).delete(follower))
    shell.start()
  })

  engine.route('GET /exec/{id}/json', (req, res) => {
    const exec = s.exec(req.params.id!)
    sendJson(res, 200, {
      CanRemove: false, ContainerID: exec.containerId, DetachKeys: '', ExitCode: exec.exitCode, ID: exec.id,
      OpenStderr: true, OpenStdin: !exec.detached, OpenStdout: true, Running: exec.running, Pid: exec.running ? 4_300_000 : 0,
      ProcessConfig: { tty: exec.tty, entrypoint: exec.cmd[0], arguments: exec.cmd.slice(1), privileged: false, user: exec.user },
    })
  })

  engine.route('POST /exec/{id}/resize', (req, res) => {
    const exec = s.exec(req.params.id!)
    exec.resizes.push({ h: Number(req.query.get('h')), w: Number(req.query.get('w')) })
    // the API docs say 201; dockerd's handler writes no status, so Go sends 200
    res.writeHead(200)
    res.end()
  })

  engine.hijack('POST /containers/{id}/attach', (req, socket) => {
    const c = s.container(req.params.id!)
    if (!c.State.Running) throw new EngineFault(409, 'You cannot attach to a stopped container, start it first')
    upgraded(socket, c.Config.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream')
    const follower = {
      write: (e: { stream: 1 | 2; text: string }) => socket.write(c.Config.Tty ? `${e.text}\r\n` : muxFrame(e.stream, `${e.text}\n`)),
      end: () => socket.end(),
    }
    s.followers(c.Id).add(follower)
    socket.on('close', () => s.followers(c.Id).delete(follower))
    if (!c.Config.Tty) return void socket.on('data', () => {})
    // a TTY container's main process is the shell: its exit stops the container
    const shell = new FakeShell(
      socket,
      () => undefined,
      (code) => {
        s.followers(c.Id).delete(follower)
        s.setState(c, 'exited', code)
        s.emitContainer(c, 'die', { exitCode: String(code) })
      },
      () => s.followers(c.Id).delete(follower),
    )
    shell.start()
  })
}
