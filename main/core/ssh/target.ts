/** Who to log in as and where: a host's SSH target, the user's SSH environment, and the key a password is kept under. */
import type { HostFields } from '../../../protocol/schema'

/** A login: a host's address, user and keys (without identityFile, the default ~/.ssh/id_* files). */
export type SshTarget = Pick<HostFields, 'address' | 'port' | 'user' | 'identityFile' | 'identitiesOnly'> & {
  /** Hosts to go through first, in order (ssh's ProxyJump). */
  jumps?: SshTarget[]
}

/** A saved host's own login, without its hops. */
export function sshTargetOf(host: HostFields): SshTarget {
  const target: SshTarget = { address: host.address, port: host.port, user: host.user }
  if (host.identityFile) target.identityFile = host.identityFile
  if (host.identitiesOnly) target.identitiesOnly = true
  return target
}

export interface SshEnvironment {
  homeDir: string
  /** known_hosts files read for checking; the last one is Berth's own, where accepted keys go. */
  knownHostsFiles: string[]
  agentSocket?: string
  /** Passphrases the user gave for encrypted keys: in memory only, by key file path. */
  passphrases?: ReadonlyMap<string, string>
  /** Passwords the user gave, by user@address:port: in memory only. */
  passwords?: ReadonlyMap<string, string>
}

/** How a password is looked up for a target. */
export function passwordKey(target: Pick<SshTarget, 'user' | 'address' | 'port'>): string {
  return `${target.user}@${target.address}:${target.port}`
}
