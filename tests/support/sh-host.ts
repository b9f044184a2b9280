/**
 * A "host" for the agent installer's tests: a temporary home on this machine, reached through
 * a stand-in for SshConnection that runs each command with sh and $HOME set, as an SSH server
 * would. Exec channels stream stdin and say their exit code as ssh2's do ('exit', then 'close');
 * SFTP writes through the file system, unless the host is one whose server offers none.
 */
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Duplex } from 'node:stream'
import { BerthError } from '../../protocol/errors'
import { type AgentBundle, loadAgentBundle } from '../../main/core/hosts/agent-installer'
import type { SshConnection } from '../../main/core/ssh/connection'

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')

export interface ShHost {
  conn: SshConnection
  /** Every command run, exec channels included: each is one SSH round trip. */
  commands: string[]
  /** The files written by SFTP. */
  uploads: string[]
}

/** An exec channel as ssh2 gives it: stdin and stdout as one duplex, stderr beside it. */
class ShChannel extends Duplex {
  readonly stderr

  constructor(command: string, env: NodeJS.ProcessEnv) {
    super({ emitClose: false, autoDestroy: false })
    const child = spawn('sh', ['-c', command], { env })
    this.stderr = child.stderr
    this.writeTo = child.stdin
    child.stdin.on('error', () => {}) // a command that exits without reading all of it
    child.stdout.on('data', (d: Buffer) => this.push(d))
    child.on('close', (code) => {
      this.emit('exit', code)
      this.push(null)
      this.emit('close', code)
    })
  }

  private readonly writeTo: NodeJS.WritableStream

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.writeTo.write(chunk, () => done())
  }

  override _final(done: () => void): void {
    this.writeTo.end(done)
  }
}

export function shHost(home: string, options: { sftp?: boolean } = {}): ShHost {
  const commands: string[] = []
  const uploads: string[] = []
  const env = { ...process.env, HOME: home }
  const conn = {
    exec: (command: string) => {
      commands.push(command)
      return new Promise((resolve) => {
        execFile('sh', ['-c', command], { env }, (err, stdout, stderr) => resolve({ code: err ? (err.code as number) : 0, stdout, stderr }))
      })
    },
    execChannel: async (command: string) => {
      commands.push(command)
      return new ShChannel(command, env)
    },
    sftp: async () => {
      // what SshConnection.sftp says when the server has no sftp subsystem
      if (options.sftp === false) throw new BerthError('UNSUPPORTED', "the host's SSH server offers no SFTP: Unable to start subsystem: sftp")
      return {
        writeFile: (path: string, data: Buffer, opts: { mode: number }, done: (err?: Error) => void) => {
          uploads.push(path)
          writeFile(path, data, { mode: opts.mode }).then(() => done(), done)
        },
        end: () => {},
      }
    },
  }
  return { conn: conn as unknown as SshConnection, commands, uploads }
}

/**
 * A bundle as scripts/build-agent.mjs leaves it, in `work/out-agent`: the agent and a node-pty
 * addon per CPU named (each file's content is its own text).
 */
export async function testBundle(work: string, version: string, agentText: string, ptyBuilds: Record<string, string>): Promise<AgentBundle> {
  const agentDir = join(work, 'out-agent')
  const pty: Record<string, { file: string; sha256: string }> = {}
  for (const [arch, content] of Object.entries(ptyBuilds)) {
    await mkdir(join(agentDir, `pty/linux-${arch}`), { recursive: true })
    await writeFile(join(agentDir, `pty/linux-${arch}/pty.node`), content)
    pty[arch] = { file: `pty/linux-${arch}/pty.node`, sha256: sha256(content) }
  }
  await mkdir(agentDir, { recursive: true })
  await writeFile(join(agentDir, 'agent.cjs'), agentText)
  await writeFile(join(agentDir, 'manifest.json'), JSON.stringify({ version, sha256: sha256(agentText), file: 'agent.cjs', pty }))
  return loadAgentBundle(agentDir)
}
