/** Wording shared by several components, so the sidebar and the header never disagree. */
import type { ContainerSummary, HostState, HostView } from '../../../protocol/schema'

const hostStateLabels: Record<HostState, string> = {
  disconnected: 'disconnected',
  connecting: 'connecting',
  installing: 'installing agent',
  connected: 'connected',
  reconnecting: 'reconnecting',
  error: 'error',
}

export function hostStateLabel(state: HostState): string {
  return hostStateLabels[state]
}

/** Where the host is, as `ssh` would be told: user@address:port. */
export function hostTarget(host: HostView): string {
  return host.local ? 'this computer' : `${host.user}@${host.address}:${host.port}`
}

/** The short id `docker ps` shows. */
export function shortId(id: string): string {
  return id.slice(0, 12)
}

export function containerStateLabel(container: Pick<ContainerSummary, 'state' | 'exitCode'>): string {
  const showsExit = (container.state === 'exited' || container.state === 'dead') && container.exitCode !== null
  return showsExit ? `${container.state} (${container.exitCode})` : container.state
}

/**
 * OpenSSH's name for a key type in its prompts: "ssh-ed25519" reads as ED25519,
 * "ecdsa-sha2-nistp256" as ECDSA, "sk-ssh-ed25519@openssh.com" as ED25519-SK.
 */
export function keyTypeLabel(keyType: string): string {
  const t = keyType.toLowerCase()
  if (t.startsWith('sk-')) return `${keyTypeLabel(t.slice(3).replace(/@.*$/, ''))}-SK`
  if (t.includes('ed25519')) return 'ED25519'
  if (t.includes('ed448')) return 'ED448'
  if (t.includes('ecdsa')) return 'ECDSA'
  if (t.includes('rsa')) return 'RSA'
  if (t.includes('dss') || t === 'dsa') return 'DSA'
  return keyType.toUpperCase()
}

/** A container action as a user would type it with the docker CLI, for tooltips. */
export function dockerCommand(action: string, name: string, options: { force?: boolean; removeVolumes?: boolean } = {}): string {
  switch (action) {
    case 'remove':
      return `docker rm${options.force ? ' -f' : ''}${options.removeVolumes ? ' -v' : ''} ${name}`
    case 'rename':
      return `docker rename ${name} <new name>`
    default:
      return `docker ${action} ${name}`
  }
}

/** An engine time (ISO) as local date and time, or "never". */
export function engineTimeLabel(iso: string | null): string {
  if (iso === null) return 'never'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString()
}
