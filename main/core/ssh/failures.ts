/** SSH failures as Berth errors that say what happened and what to do. */
import { BerthError } from '../../../protocol/errors'
import { fingerprint, type HostKeyVerdict, keyTypeOf } from './known-hosts'

export function networkError(err: NodeJS.ErrnoException, where: string): BerthError {
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is sshd running?)',
    EHOSTUNREACH: 'no route to host',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'timed out',
    ENOTFOUND: 'no such host name',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
  }
  const reason = (err.code && reasons[err.code]) ?? err.message
  return new BerthError('UNREACHABLE', `cannot reach ${where}: ${reason}`, err.code ? { errno: err.code } : undefined)
}

export function hostKeyFailure(verdict: HostKeyVerdict, host: string, port: number, key: Buffer, actual: string): BerthError {
  const keyType = keyTypeOf(key)
  if (verdict.kind === 'unknown') {
    return new BerthError(
      'HOST_KEY_UNKNOWN',
      `The authenticity of ${host}:${port} can't be established. ${keyType} key fingerprint is ${actual}.`,
      { keyType, fingerprint: actual, otherKnownTypes: verdict.otherTypes, address: host, port },
    )
  }
  const { entry } = verdict
  const expected = fingerprint(Buffer.from(entry.keyBase64, 'base64'))
  if (verdict.kind === 'revoked') {
    return new BerthError('HOST_KEY_CHANGED', `${host}:${port} presented a revoked ${keyType} key (${actual}), listed at ${entry.file}:${entry.line}`, {
      actualFingerprint: actual,
      knownHostsFile: entry.file,
      line: entry.line,
    })
  }
  return new BerthError(
    'HOST_KEY_CHANGED',
    `The ${keyType} host key of ${host}:${port} has changed: expected ${expected} (${entry.file}:${entry.line}), got ${actual}. ` +
      'Someone could be intercepting the connection, or the host was reinstalled. Berth refused to connect; ' +
      `if the change is expected, remove line ${entry.line} of ${entry.file}.`,
    { expectedFingerprint: expected, actualFingerprint: actual, knownHostsFile: entry.file, line: entry.line, keyType },
  )
}
