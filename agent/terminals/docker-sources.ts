/**
 * `docker exec -it` and `docker attach` through the engine API: the engine hands back the
 * raw connection (hijacked HTTP), which carries the terminal's bytes both ways.
 */
import { randomUUID } from 'node:crypto'
import { PassThrough, type Duplex } from 'node:stream'
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import type { TerminalSpec } from '../../protocol/schema'
import { type SourceInfo, type SourceOutcome, TerminalSource } from './source'

/** Shells tried, in order, when the user names no command: bash where there is one, else sh. */
const SHELLS = ['/bin/bash', '/usr/bin/bash', '/bin/sh', '/usr/bin/sh']

type Spec = Omit<TerminalSpec, 'kind'> & { container: string }

async function runningContainer(docker: Docker, ref: string): Promise<Docker.ContainerInspectInfo> {
  const info = await docker.getContainer(ref).inspect()
  const state = info.State
  if (state.Paused) throw new BerthError('CONFLICT', `${ref} is paused: unpause it to open a terminal in it`)
  if (!state.Running) throw new BerthError('CONFLICT', `${ref} is not running (${state.Status}): start it to open a terminal in it`)
  return info
}

async function exists(container: Docker.Container, path: string): Promise<boolean> {
  try {
    await container.infoArchive({ path })
    return true
  } catch {
    return false
  }
}

/** The container's shell: the first of SHELLS present in its filesystem. */
export async function defaultShell(container: Docker.Container, name: string): Promise<string[]> {
  for (const shell of SHELLS) if (await exists(container, shell)) return [shell]
  throw new BerthError(
    'NOT_FOUND',
    `${name} has no shell (neither bash nor sh is in its filesystem): give a command it has, such as its own program`,
  )
}

abstract class HijackedSource extends TerminalSource {
  protected stream: Duplex | undefined
  protected reader: NodeJS.ReadableStream | undefined
  private ended = false

  protected wire(stream: Duplex, output: NodeJS.ReadableStream = stream): void {
    this.stream = stream
    this.reader = output
    output.on('data', (chunk: Buffer) => this.output(chunk))
    const onClose = (): void => {
      if (this.ended) return
      this.ended = true
      this.outcome().then(
        (outcome) => this.finish(outcome),
        (err: Error) => this.finish({ state: 'exited', exitCode: null, message: `the engine could not say how it ended: ${err.message}` }),
      )
    }
    stream.on('end', onClose)
    stream.on('close', onClose)
    stream.on('error', () => onClose())
  }

  protected abstract outcome(): Promise<SourceOutcome>

  write(data: string | Buffer): void {
    this.stream?.write(data)
  }

  pause(): void {
    this.reader?.pause()
  }

  resume(): void {
    this.reader?.resume()
  }

  close(): void {
    this.stream?.destroy()
  }
}

/**
 * The engine has no way to end an exec, and closing its stream leaves the process running
 * (moby#9098). A terminal that is closed should hang up, so every exec carries a marker in
 * its environment, and closing runs this in the container to send SIGHUP to each process that
 * inherited it: what a terminal hang-up does to its session.
 *
 * It runs as the exec's own user (who may signal its own processes, and no others), by absolute
 * path, with a PATH of the system's folders only: the image's own PATH might put a `grep` of
 * its choosing first, and whatever it names would run in our place. (No `grep -F`: busybox's
 * stops at the first NUL of an environ file, and the marker is last.)
 */
const HANG_UP = 'for p in /proc/[0-9]*; do grep -q "$1" "$p/environ" 2>/dev/null && kill -HUP "${p#/proc/}"; done; true'
const HANG_UP_SHELL = '/bin/sh'
const SYSTEM_PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'

export class ExecSource extends HijackedSource {
  private exec: Docker.Exec | undefined
  private container: Docker.Container | undefined
  private readonly marker = `BERTH_SESSION=${randomUUID()}`
  /** The user the exec runs as, when not the container's own. */
  private user: string | undefined
  info!: SourceInfo

  static async open(docker: Docker, spec: Spec): Promise<ExecSource> {
    const source = new ExecSource()
    await source.start(docker, spec)
    return source
  }

  private async start(docker: Docker, spec: Spec): Promise<void> {
    const inspect = await runningContainer(docker, spec.container)
    const name = inspect.Name.replace(/^\//, '')
    const container = (this.container = docker.getContainer(inspect.Id))
    this.user = spec.user
    const command = spec.command?.length ? spec.command : await defaultShell(container, name)
    const env = ['TERM=xterm-256color', 'COLORTERM=truecolor', ...(spec.env ?? []), this.marker]
    // the size goes in at creation (engines from API 1.42 use it) so the first prompt fits
    const consoleSize = [spec.rows, spec.cols]
    this.exec = await container.exec({
      Cmd: command,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: env,
      ...(spec.user ? { User: spec.user } : {}),
      ...(spec.workdir ? { WorkingDir: spec.workdir } : {}),
      ConsoleSize: consoleSize,
    } as Docker.ExecCreateOptions)
    const stream = (await this.exec.start({ hijack: true, stdin: true, Tty: true, ConsoleSize: consoleSize } as Docker.ExecStartOptions)) as Duplex
    this.info = { title: `${name}: ${command.join(' ')}`, container: name, command, tty: true }
    this.wire(stream)
    // older engines ignore ConsoleSize: size it at once, before the shell draws much
    await this.resize(spec.cols, spec.rows).catch(() => {})
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.exec?.resize({ w: cols, h: rows })
  }

  protected async outcome(): Promise<SourceOutcome> {
    const info = await this.exec!.inspect()
    return { state: 'exited', exitCode: info.ExitCode ?? null }
  }

  override close(): void {
    void this.hangUp().finally(() => super.close())
  }

  private async hangUp(): Promise<void> {
    try {
      if (!this.exec || !this.container || !(await this.exec.inspect()).Running) return
      const kill = await this.container.exec({
        Cmd: [HANG_UP_SHELL, '-c', HANG_UP, 'sh', this.marker],
        Env: [SYSTEM_PATH],
        ...(this.user ? { User: this.user } : {}),
        AttachStdout: false,
        AttachStderr: false,
      })
      await kill.start({ Detach: true })
      // give the hang-up a moment to arrive before the stream goes
      for (let i = 0; i < 20 && (await kill.inspect()).Running; i++) await new Promise((r) => setTimeout(r, 50))
    } catch {
      // a container without sh cannot be asked; its process then runs until it ends by itself
    }
  }
}

export class AttachSource extends HijackedSource {
  info!: SourceInfo
  private container!: Docker.Container

  static async open(docker: Docker, spec: Spec & { detachKeys: string }): Promise<AttachSource> {
    const source = new AttachSource()
    await source.start(docker, spec)
    return source
  }

  private async start(docker: Docker, spec: Spec & { detachKeys: string }): Promise<void> {
    const inspect = await runningContainer(docker, spec.container)
    const name = inspect.Name.replace(/^\//, '')
    this.container = docker.getContainer(inspect.Id)
    const tty = inspect.Config.Tty
    const stream = (await this.container.attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
      detachKeys: spec.detachKeys,
    })) as unknown as Duplex
    const command = [...(inspect.Path ? [inspect.Path] : []), ...(inspect.Args ?? [])]
    this.info = { title: `${name} (attached)`, container: name, command, tty, detachKeys: spec.detachKeys }
    if (tty) {
      this.wire(stream)
      await this.resize(spec.cols, spec.rows).catch(() => {})
    } else {
      // without a TTY the engine frames stdout and stderr; the terminal shows both
      const output = new PassThrough()
      docker.modem.demuxStream(stream, output, output)
      this.wire(stream, output)
    }
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (this.info.tty) await this.container.resize({ w: cols, h: rows })
  }

  protected async outcome(): Promise<SourceOutcome> {
    const state = (await this.container.inspect()).State
    if (state.Running) {
      return { state: 'detached', exitCode: null, message: 'detached: the container is still running' }
    }
    return { state: 'exited', exitCode: state.ExitCode ?? null, message: `the container stopped (exit code ${state.ExitCode})` }
  }
}
