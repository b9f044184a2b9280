/**
 * One SSH connection to a host (ssh2), authenticated the way `ssh` does it (ssh-agent, then
 * key files) and with the host key checked against known_hosts before anything is sent.
 * Channels for the agent and SFTP for its install ride on this one connection.
 */
import type { Duplex } from 'node:stream'
import ssh2, { type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2'
import { BerthError } from '../../../protocol/errors'
import { appendKnownHost, fingerprint, type HostKeyVerdict, knownKeyTypes, readKnownHostsFiles, verifyHostKey } from './known-hosts'
import { authAttempts } from './auth'
import { type AskUser, loginHandler } from './login'
import { hostKeyFailure, networkError } from './failures'
import { passwordKey, type SshEnvironment, type SshTarget } from './target'

export interface ConnectOptions {
  /** The fingerprint the user accepted for an unknown key. */
  trustFingerprint?: string
  /** How long the handshake may take, not counting time spent waiting on the user. */
  readyTimeoutMs?: number
  /** Puts what the server asks mid-login (a one-time code) to the user. */
  ask?: AskUser
}

/** How long a handshake may take, not counting time spent waiting on the user. */
export const HANDSHAKE_TIMEOUT_MS = 20_000

/**
 * The handshake's limit for a core's environment: BERTH_SSH_HANDSHAKE_TIMEOUT_MS when set (the
 * lab's tests shorten it, so a test that outlasts it need not wait 20 s), else the default.
 */
export function handshakeTimeoutMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.BERTH_SSH_HANDSHAKE_TIMEOUT_MS)
  return Number.isInteger(ms) && ms > 0 ? ms : HANDSHAKE_TIMEOUT_MS
}

export interface ExecResult {
  code: number | null
  stdout: string
  stderr: string
}

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader
const { Client } = ssh2

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]

/** Put the algorithms of keys already recorded first, so a known host shows its known key. */
function hostKeyAlgorithms(knownTypes: string[]): string[] {
  const preferred = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]))
  return [...new Set([...preferred.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a)), ...DEFAULT_HOST_KEY_ALGORITHMS])]
}

export class SshConnection {
  private readonly client: ssh2.Client = new Client()
  private closedListeners: Array<(err?: BerthError) => void> = []
  /** The jump hosts this connection goes through; closed with it. */
  private via: SshConnection[] = []

  private constructor(readonly target: SshTarget) {}

  /**
   * Connects to the target, through its jump hosts first when it has them: each hop is a
   * full SSH connection of its own (its host key checked, its own authentication), and the
   * next hop's TCP stream is a channel forwarded through it, as `ssh -J` does.
   */
  static async connect(target: SshTarget, env: SshEnvironment, options: ConnectOptions = {}): Promise<SshConnection> {
    const hops = [...(target.jumps ?? []), target]
    const chain: SshConnection[] = []
    try {
      for (const hop of hops) {
        const previous = chain.at(-1)
        const conn = new SshConnection(hop)
        const sock = previous ? await previous.forward(hop.address, hop.port) : undefined
        await conn.open(env, options, sock).catch((err: BerthError) => {
          if (hop === target || !(err instanceof BerthError)) throw err
          throw new BerthError(err.code, `jump host ${hop.address}: ${err.message}`, err.detail)
        })
        chain.push(conn)
      }
    } catch (err) {
      for (const conn of chain.reverse()) conn.close()
      throw err
    }
    const conn = chain.pop()!
    conn.via = chain
    return conn
  }

  private forward(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
        if (err) reject(new BerthError('UNREACHABLE', `${this.target.address} could not reach ${address}:${port}: ${err.message}`))
        else resolve(stream)
      })
    })
  }

  private async open(env: SshEnvironment, options: ConnectOptions, sock?: Duplex): Promise<void> {
    const { address, port, user } = this.target
    const where = `${user}@${address}:${port}`
    const entries = await readKnownHostsFiles(env.knownHostsFiles)
    const ownFile = env.knownHostsFiles[env.knownHostsFiles.length - 1]!
    const skipped: string[] = []
    const locked: string[] = []
    const attempts = await authAttempts(this.target, env, { skipped, locked })
    let hostKeyError: BerthError | undefined
    // the handshake's time limit, stopped while the user answers what the server asks
    let timer: NodeJS.Timeout | undefined
    let expire = (): void => {}
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => expire(), options.readyTimeoutMs ?? HANDSHAKE_TIMEOUT_MS)
    }
    const login = loginHandler({
      user,
      target: where,
      attempts,
      password: env.passwords?.get(passwordKey(this.target)),
      ...(options.ask ? { ask: options.ask } : {}),
      waiting: (waiting) => (waiting ? clearTimeout(timer) : arm()),
      giveUp: () => this.client.end(),
    })

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      const verdict: HostKeyVerdict = verifyHostKey(entries, address, port, key)
      const actual = fingerprint(key)
      if (verdict.kind === 'known') return verify(true)
      if (verdict.kind === 'unknown' && options.trustFingerprint === actual) {
        appendKnownHost(ownFile, address, port, key).then(
          () => verify(true),
          (err: Error) => {
            hostKeyError = new BerthError('INTERNAL', `could not record the host key in ${ownFile}: ${err.message}`)
            verify(false)
          },
        )
        return
      }
      hostKeyError = hostKeyFailure(verdict, address, port, key, actual)
      verify(false)
    }

    const config: ConnectConfig = {
      ...(sock ? { sock } : {}),
      host: address,
      port,
      username: user,
      // the handshake's time limit is Berth's own (below): it stops while the user is asked
      readyTimeout: 0,
      // ssh2 gives up on the interval after keepaliveCountMax unanswered keepalives: a dead
      // link is noticed 6 to 9 s after it died (the issue asks for within 10 s)
      keepaliveInterval: 3_000,
      keepaliveCountMax: 2,
      algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(entries, address, port)) as never },
      hostVerifier: hostVerifier as never,
      authHandler: login.handler as never,
    }

    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error & { level?: string; code?: string }): void => {
        cleanup()
        if (hostKeyError) return reject(hostKeyError)
        if (err.level === 'client-authentication') return reject(login.state.failure(where, skipped, locked))
        if (err.level === 'client-timeout') return reject(new BerthError('TIMEOUT', `${where} did not complete the SSH handshake in time`))
        if (err.code) return reject(networkError(err, `${address}:${port}`))
        reject(new BerthError('UNREACHABLE', `SSH to ${where} failed: ${err.message}`))
      }
      // a close before ready with no error: the login was given up (or the server hung up)
      const onClosed = (): void => {
        cleanup()
        reject(login.state.gaveUp ? login.state.failure(where, skipped, locked) : new BerthError('UNREACHABLE', `${where} closed the connection during the login`))
      }
      const onReady = (): void => {
        cleanup()
        // terminals send keystrokes one small packet at a time: no Nagle delay on them
        this.client.setNoDelay(true)
        resolve()
      }
      const cleanup = (): void => {
        clearTimeout(timer)
        this.client.off('error', onError)
        this.client.off('ready', onReady)
        this.client.off('close', onClosed)
      }
      this.client.on('error', onError)
      this.client.on('ready', onReady)
      this.client.on('close', onClosed)
      expire = () => {
        onError(Object.assign(new Error('handshake timed out'), { level: 'client-timeout' }))
        this.client.destroy()
      }
      arm()
      this.client.connect(config)
    })

    this.client.on('error', () => {}) // after ready, errors surface as 'close'
    this.client.on('close', () => {
      const listeners = this.closedListeners
      this.closedListeners = []
      for (const l of listeners) l(new BerthError('UNREACHABLE', `the SSH connection to ${where} closed`))
    })
  }

  onClose(listener: (err?: BerthError) => void): void {
    this.closedListeners.push(listener)
  }

  /** Runs a command and collects its output (for short probes, not for streams). */
  exec(command: string, timeoutMs = 30_000): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) return reject(new BerthError('UNREACHABLE', `could not run a command on the host: ${err.message}`))
        const out: Buffer[] = []
        const errOut: Buffer[] = []
        const timer = setTimeout(() => {
          channel.close()
          reject(new BerthError('TIMEOUT', `command did not finish within ${timeoutMs / 1000} s: ${command}`))
        }, timeoutMs)
        channel.on('data', (d: Buffer) => out.push(d))
        channel.stderr.on('data', (d: Buffer) => errOut.push(d))
        channel.on('close', (code: number | null) => {
          clearTimeout(timer)
          resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') })
        })
      })
    })
  }

  /** An exec channel as a byte duplex (the agent's stdio). */
  execChannel(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) reject(new BerthError('UNREACHABLE', `could not start ${command}: ${err.message}`))
        else resolve(channel)
      })
    })
  }

  /** A unix socket on the host, opened by the SSH server itself (OpenSSH's direct-streamlocal). */
  openUnixSocket(path: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.openssh_forwardOutStreamLocal(path, (err, channel) => {
        if (err) reject(new BerthError('UNSUPPORTED', `the host's SSH server would not open ${path}: ${err.message}`))
        else resolve(channel)
      })
    })
  }

  /** A login shell in the SSH server's own PTY: agentless mode's host terminal. */
  shell(cols: number, rows: number): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.shell({ term: 'xterm-256color', cols, rows }, (err, channel) => {
        if (err) reject(new BerthError('UNSUPPORTED', `the host's SSH server would not open a shell: ${err.message}`))
        else resolve(channel)
      })
    })
  }

  sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) reject(new BerthError('UNSUPPORTED', `the host's SSH server offers no SFTP: ${err.message}`))
        else resolve(sftp)
      })
    })
  }

  close(): void {
    this.client.end()
    for (const hop of this.via.reverse()) hop.close()
    this.via = []
  }
}
