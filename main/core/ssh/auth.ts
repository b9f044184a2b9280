/**
 * What to offer the server, in the order `ssh` offers it: ssh-agent, then key files (the one
 * named for the host, or the default ~/.ssh/id_* files).
 */
import { readFile } from 'node:fs/promises'
import ssh2 from 'ssh2'
import { expandHome } from '../paths'
import type { SshEnvironment, SshTarget } from './target'

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader
const { utils } = ssh2

export const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

export type AuthAttempt = { label: string; method: Record<string, unknown> }

/** Why keys were not offered: unreadable, or encrypted with no passphrase given yet. */
export interface AuthSkips {
  skipped: string[]
  /** Encrypted key files whose passphrase Berth does not have. */
  locked: string[]
}

/** Whether a passphrase opens an encrypted key file. */
export async function passphraseOpens(file: string, passphrase: string): Promise<boolean> {
  return !(utils.parseKey(await readFile(file), passphrase) instanceof Error)
}

export async function authAttempts(target: SshTarget, env: SshEnvironment, skips: AuthSkips): Promise<AuthAttempt[]> {
  const { skipped, locked } = skips
  const attempts: AuthAttempt[] = []
  // IdentitiesOnly: an agent full of keys must not use up the server's MaxAuthTries first
  if (env.agentSocket && !(target.identitiesOnly && target.identityFile)) {
    attempts.push({ label: 'ssh-agent', method: { type: 'agent', username: target.user, agent: env.agentSocket } })
  }
  // `~/` as ssh_config and people write it
  const explicit = target.identityFile && expandHome(target.identityFile, env.homeDir)
  const files = explicit ? [explicit] : DEFAULT_KEY_FILES.map((f) => `${env.homeDir}/.ssh/${f}`)
  for (const file of files) {
    let key: Buffer
    try {
      key = await readFile(file)
    } catch {
      if (target.identityFile) skipped.push(`${file} (cannot be read)`)
      continue
    }
    const passphrase = env.passphrases?.get(file)
    const parsed = utils.parseKey(key, passphrase)
    if (parsed instanceof Error) {
      if (!/passphrase|decrypt|bad/i.test(parsed.message)) skipped.push(`${file} (${parsed.message})`)
      else if (passphrase === undefined) {
        skipped.push(`${file} (encrypted: needs its passphrase)`)
        locked.push(file)
      } else skipped.push(`${file} (the passphrase given does not open it)`)
      continue
    }
    const method = passphrase === undefined ? { key } : { key, passphrase }
    attempts.push({ label: file, method: { type: 'publickey', username: target.user, ...method } })
  }
  return attempts
}
