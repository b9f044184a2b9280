/**
 * Files onto a host over SSH, for the agent installer: uploads staged beside their destination,
 * checked by sha256 on the host, then moved into place. By SFTP where the server offers it, else
 * through exec channels (Dropbear on DietPi and OpenWrt, hardened sshds without `Subsystem sftp`).
 */
import { readFile } from 'node:fs/promises'
import type { SFTPWrapper } from 'ssh2'
import { BerthError, toErrorValue } from '../../../protocol/errors'
import type { ExecResult, SshConnection } from '../ssh/connection'

/** Quotes a string for a POSIX shell command line. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

const SHA256_SCRIPT =
  `for(const f of process.argv.slice(1)){let h="missing";try{h=require("crypto").createHash("sha256").update(require("fs").readFileSync(f)).digest("hex")}catch{}process.stdout.write(h+"\\n")}`

/** The sha256 of each file on the host, "missing" for those that are not there. */
export async function remoteSha256(conn: SshConnection, paths: string[]): Promise<string[]> {
  const result = await conn.exec(`node -e ${shQuote(SHA256_SCRIPT)} ${paths.map(shQuote).join(' ')}`)
  return result.stdout.trim().split('\n')
}

export interface Upload {
  from: string
  to: string
  sha256: string
  mode: number
}

type Staged = Upload & { tmp: string }

/**
 * Uploads files beside their destinations, checks every sha256 on the host, then moves them all
 * into place: three round trips however many files, and nothing half-written is ever used.
 */
export async function upload(conn: SshConnection, items: Upload[]): Promise<void> {
  const tmp = (item: Upload) => `${item.to}.upload-${process.pid}-${Date.now()}`
  const staged = items.map((item) => ({ ...item, tmp: tmp(item) }))
  await send(conn, staged)
  const uploaded = await remoteSha256(conn, staged.map((item) => item.tmp))
  const damaged = staged.findIndex((item, i) => uploaded[i] !== item.sha256)
  if (damaged >= 0) {
    await conn.exec(`rm -f ${staged.map((item) => shQuote(item.tmp)).join(' ')}`)
    const item = staged[damaged]!
    throw new BerthError('INTERNAL', `${item.to} arrived damaged on the host (sha256 ${uploaded[damaged]}, expected ${item.sha256})`)
  }
  // in the order given: the caller puts the file that marks an install complete last
  const mv = await conn.exec(staged.map((item) => `mv -f ${shQuote(item.tmp)} ${shQuote(item.to)}`).join(' && '))
  if (mv.code !== 0) throw new BerthError('PERMISSION_DENIED', `could not put the agent in place: ${mv.stderr.trim()}`)
}

/** Writes each file to its temporary name: by SFTP, or through exec channels where the server has no SFTP. */
async function send(conn: SshConnection, staged: Staged[]): Promise<void> {
  let sftp: SFTPWrapper
  try {
    sftp = await conn.sftp()
  } catch (err) {
    // Dropbear (DietPi, OpenWrt) and hardened sshds without `Subsystem sftp`
    if (toErrorValue(err).code !== 'UNSUPPORTED') throw err
    await Promise.all(staged.map((item) => sendByExec(conn, item)))
    return
  }
  try {
    for (const item of staged) {
      const content = await readFile(item.from)
      await new Promise<void>((resolve, reject) =>
        sftp.writeFile(item.tmp, content, { mode: item.mode }, (err) =>
          err ? reject(new BerthError('PERMISSION_DENIED', `could not upload ${item.tmp}: ${err.message}`)) : resolve(),
        ),
      )
    }
  } finally {
    sftp.end()
  }
}

/**
 * One file through `cat` on an exec channel. `set -C` makes the shell create the file new, so
 * whatever waits at that name is never written through; the host then says how many bytes
 * arrived, so a cut stream is told apart from a damaged one before the sha256 check.
 */
async function sendByExec(conn: SshConnection, item: Staged): Promise<void> {
  const content = await readFile(item.from)
  const tmp = shQuote(item.tmp)
  const result = await execWithInput(conn, `umask 077 && set -C && cat > ${tmp} && chmod ${item.mode.toString(8)} ${tmp} && wc -c < ${tmp}`, content)
  if (result.code !== 0) throw new BerthError('PERMISSION_DENIED', `could not upload ${item.tmp}: ${result.stderr.trim() || `exit code ${result.code}`}`)
  const arrived = Number(result.stdout.trim())
  if (arrived !== content.length) throw new BerthError('INTERNAL', `${item.to} arrived cut on the host (${arrived} of ${content.length} bytes)`)
}

/** Runs a command with `input` on its stdin, and collects what it says. */
async function execWithInput(conn: SshConnection, command: string, input: Buffer): Promise<ExecResult> {
  const channel = await conn.execChannel(command)
  return new Promise((resolve, reject) => {
    const out: Buffer[] = []
    const errOut: Buffer[] = []
    let code: number | null = null
    channel.on('data', (d: Buffer) => out.push(d))
    channel.stderr.on('data', (d: Buffer) => errOut.push(d))
    channel.on('exit', (c: number | null) => (code = c))
    channel.on('error', reject)
    channel.on('close', () => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') }))
    channel.end(input)
  })
}
