/**
 * known_hosts checking as OpenSSH does it: plain and hashed (|1|salt|hash) host patterns,
 * `[host]:port` for non-default ports, wildcards and negations, @revoked lines.
 * Written by hand because no maintained npm parser covers hashed entries and markers; the
 * format is small and fully specified in sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT".
 */
import { createHash, createHmac } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface KnownHostEntry {
  file: string
  line: number
  marker?: 'revoked' | 'cert-authority'
  patterns: string
  keyType: string
  keyBase64: string
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'changed'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry }
  | { kind: 'unknown'; otherTypes: string[] }

/** SHA256 fingerprint as `ssh-keygen -l` prints it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/** The key type named inside an SSH public key blob (its first string field). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown'
  const len = keyBlob.readUInt32BE(0)
  return keyBlob.subarray(4, 4 + len).toString('ascii')
}

/** How known_hosts names a host: bare for port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift()!.slice(1)
      if (name !== 'revoked' && name !== 'cert-authority') return
      marker = name
    }
    const [patterns, keyType, keyBase64] = fields
    if (!patterns || !keyType || !keyBase64) return
    const entry: KnownHostEntry = { file, line: index + 1, patterns, keyType, keyBase64 }
    if (marker) entry.marker = marker
    entries.push(entry)
  })
  return entries
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`, 'i')
}

function hashedMatches(pattern: string, token: string): boolean {
  const [, magic, salt, hash] = pattern.split('|')
  if (magic !== '1' || !salt || !hash) return false
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64')
  return digest === hash
}

/** Whether an entry's host patterns name this host (OpenSSH match_hostname semantics). */
export function patternsMatch(patterns: string, host: string, port: number): boolean {
  const token = hostToken(host, port)
  if (patterns.startsWith('|')) return hashedMatches(patterns, token)
  let matched = false
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!')
    const pattern = negated ? raw.slice(1) : raw
    if (globToRegExp(pattern).test(token)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const keyType = keyTypeOf(keyBlob)
  const keyBase64 = keyBlob.toString('base64')
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && patternsMatch(e.patterns, host, port))
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBase64 === keyBase64)
  if (revoked) return { kind: 'revoked', entry: revoked }
  const plain = forHost.filter((e) => e.marker === undefined)
  const known = plain.find((e) => e.keyType === keyType && e.keyBase64 === keyBase64)
  if (known) return { kind: 'known', entry: known }
  // as OpenSSH: a different key of the same type is a changed key; other types are only a note
  const changed = plain.find((e) => e.keyType === keyType)
  if (changed) return { kind: 'changed', entry: changed }
  return { kind: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] }
}

/** Key types recorded for a host, so the SSH handshake can prefer them (as OpenSSH does). */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  return [
    ...new Set(
      entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, host, port)).map((e) => e.keyType),
    ),
  ]
}

export async function readKnownHostsFiles(files: string[]): Promise<KnownHostEntry[]> {
  const all = await Promise.all(
    files.map(async (file) => {
      try {
        return parseKnownHosts(await readFile(file, 'utf8'), file)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw err
      }
    }),
  )
  return all.flat()
}

export async function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const line = `${hostToken(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`
  await appendFile(file, line, { mode: 0o600 })
}
