/**
 * ProxyJump as ssh_config(5) writes it: `[user@]host[:port]` hops separated by commas.
 * A hop that names a saved Berth host uses that host's address, port, user and key;
 * otherwise it inherits the target's user and key, which is what people with one key expect.
 */
import { BerthError } from '../../../protocol/errors'
import type { SshTarget } from './target'

export interface SavedHostLookup {
  (name: string): SshTarget | undefined
}

const HOP = /^(?:([a-z_][a-z0-9_.-]*)@)?(\[[0-9a-f:.]+\]|[a-zA-Z0-9.-]+)(?::(\d{1,5}))?$/i

export function parseProxyJump(spec: string, target: Omit<SshTarget, 'jumps'>, saved: SavedHostLookup): SshTarget[] {
  const trimmed = spec.trim()
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return []
  return trimmed.split(',').map((raw) => {
    const hop = raw.trim()
    const known = saved(hop)
    if (known) return { ...known, jumps: [] }
    const match = HOP.exec(hop)
    if (!match) throw new BerthError('INVALID_INPUT', `ProxyJump hop "${hop}" is not [user@]host[:port]`)
    const port = match[3] ? Number(match[3]) : 22
    if (port < 1 || port > 65535) throw new BerthError('INVALID_INPUT', `ProxyJump hop "${hop}" has port ${port}: a port is 1 to 65535`)
    const address = match[2]!.replace(/^\[|\]$/g, '')
    const result: SshTarget = { address, port, user: match[1] ?? target.user }
    if (target.identityFile) result.identityFile = target.identityFile
    return result
  })
}
