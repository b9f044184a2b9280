/**
 * What to offer the server, in the order `ssh` offers it: ssh-agent, then key files (the one
 * named for the host, or the default ~/.ssh/id_* files).
 */
import { readFile } from 'node:fs/promises'
import ssh2 from 'ssh2'
import type { SshEnvironment, SshTarget } from './ssh-connection'

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader
const { utils } = ssh2

export const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

export type AuthAttempt = { label: string; method: Record<string, unknown> }

export async function authAttempts(target: SshTarget, env: SshEnvironment, skipped: string[]): Promise<AuthAttempt[]> {
  const attempts: AuthAttempt[] = []
  if (env.agentSocket) {
    attempts.push({ label: 'ssh-agent', method: { type: 'agent', username: target.user, agent: env.agentSocket } })
  }
  // `~/` as ssh_config and people write it
  const explicit = target.identityFile?.replace(/^~(?=\/|$)/, env.homeDir)
  const files = explicit ? [explicit] : DEFAULT_KEY_FILES.map((f) => `${env.homeDir}/.ssh/${f}`)
  for (const file of files) {
    let key: Buffer
    try {
      key = await readFile(file)
    } catch {
      if (target.identityFile) skipped.push(`${file} (cannot be read)`)
      continue
    }
    const parsed = utils.parseKey(key)
    if (parsed instanceof Error) {
      // passphrase prompts come with the hosts issue; say plainly why the key was not used
      skipped.push(/passphrase/i.test(parsed.message) ? `${file} (encrypted: needs its passphrase)` : `${file} (${parsed.message})`)
      continue
    }
    attempts.push({ label: file, method: { type: 'publickey', username: target.user, key } })
  }
  return attempts
}

