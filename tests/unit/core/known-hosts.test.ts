import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  appendKnownHost,
  fingerprint,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHostsFiles,
  verifyHostKey,
} from '../../../main/core/ssh/known-hosts'

// Real keys and real OpenSSH output: ssh-keygen makes the keys, hashes the file and
// prints the fingerprints these tests compare against.
const dir = mkdtempSync(join(tmpdir(), 'berth-kh-'))
type Key = { line: string; blob: Buffer; type: string; sshFingerprint: string }

function makeKey(name: string, type = 'ed25519'): Key {
  const file = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file])
  const line = readFileSync(`${file}.pub`, 'utf8').trim()
  const [keyType, b64] = line.split(' ')
  const sshFingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!
  return { line, blob: Buffer.from(b64!, 'base64'), type: keyType!, sshFingerprint }
}

let a: Key
let b: Key
let rsa: Key
beforeAll(() => {
  a = makeKey('a')
  b = makeKey('b')
  rsa = makeKey('r', 'rsa')
})

const lineFor = (host: string, key: Key) => `${host} ${key.type} ${key.line.split(' ')[1]}`

describe('known_hosts', () => {
  it('prints fingerprints exactly as ssh-keygen -l does', () => {
    expect(fingerprint(a.blob)).toBe(a.sshFingerprint)
    expect(fingerprint(rsa.blob)).toBe(rsa.sshFingerprint)
  })

  it('accepts a recorded key, for a bare host on port 22 and [host]:port otherwise', () => {
    const entries = parseKnownHosts(`${lineFor('build.lan,10.0.0.5', a)}\n${lineFor('[pi.lan]:2222', b)}\n`, 'kh')
    expect(verifyHostKey(entries, '10.0.0.5', 22, a.blob).kind).toBe('known')
    expect(verifyHostKey(entries, 'pi.lan', 2222, b.blob).kind).toBe('known')
    // the same name on another port is another host
    expect(verifyHostKey(entries, 'x.ca', 22, b.blob).kind).toBe('unknown')
  })

  it('reports a different key of the same type as changed, naming the file and line', () => {
    const entries = parseKnownHosts(`# comment\n\n${lineFor('10.0.0.5', a)}\n`, '/home/u/.ssh/known_hosts')
    const verdict = verifyHostKey(entries, '10.0.0.5', 22, b.blob)
    expect(verdict).toMatchObject({ kind: 'changed', entry: { file: '/home/u/.ssh/known_hosts', line: 3 } })
  })

  it('treats a key of another type as unknown (as OpenSSH does) and prefers the known type', () => {
    const entries = parseKnownHosts(`${lineFor('10.0.0.5', rsa)}\n`, 'kh')
    expect(verifyHostKey(entries, '10.0.0.5', 22, a.blob)).toEqual({ kind: 'unknown', otherTypes: ['ssh-rsa'] })
    expect(knownKeyTypes(entries, '10.0.0.5', 22)).toEqual(['ssh-rsa'])
  })

  it('matches entries hashed by ssh-keygen -H, including [host]:port', () => {
    const file = join(dir, 'hashed')
    writeFileSync(file, `${lineFor('10.0.0.5', a)}\n${lineFor('[10.0.0.6]:2200', b)}\n`)
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' })
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('10.0.0.5')
    const entries = parseKnownHosts(text, file)
    expect(verifyHostKey(entries, '10.0.0.5', 22, a.blob).kind).toBe('known')
    expect(verifyHostKey(entries, '10.0.0.6', 2200, b.blob).kind).toBe('known')
    expect(verifyHostKey(entries, '10.0.0.5', 22, b.blob).kind).toBe('changed')
    expect(verifyHostKey(entries, '10.0.0.7', 22, a.blob).kind).toBe('unknown')
  })

  it('honours wildcards, negations and @revoked, and skips @cert-authority lines', () => {
    const entries = parseKnownHosts(
      [
        lineFor('*.lan,!bad.lan', a),
        `@cert-authority *.ca ${b.type} ${b.line.split(' ')[1]}`,
        `@revoked * ${rsa.type} ${rsa.line.split(' ')[1]}`,
      ].join('\n'),
      'kh',
    )
    expect(verifyHostKey(entries, 'pi.lan', 22, a.blob).kind).toBe('known')
    expect(verifyHostKey(entries, 'bad.lan', 22, a.blob).kind).toBe('unknown')
    expect(verifyHostKey(entries, 'x.ca', 22, b.blob).kind).toBe('unknown')
    expect(verifyHostKey(entries, 'pi.lan', 22, rsa.blob).kind).toBe('revoked')
  })

  it('appends accepted keys in a form ssh-keygen can read, and treats a missing file as empty', async () => {
    const file = join(dir, 'sub', 'known_hosts')
    expect(await readKnownHostsFiles([file])).toEqual([])
    await appendKnownHost(file, '10.0.0.9', 2222, a.blob)
    const found = execFileSync('ssh-keygen', ['-F', '[10.0.0.9]:2222', '-f', file], { encoding: 'utf8' })
    expect(found).toContain(a.line.split(' ')[1])
    const entries = await readKnownHostsFiles([file])
    expect(verifyHostKey(entries, '10.0.0.9', 2222, a.blob).kind).toBe('known')
  })
})
