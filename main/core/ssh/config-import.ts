/**
 * Hosts from the user's ~/.ssh/config, resolved as ssh would resolve them (first value wins,
 * wildcard blocks apply, Include is followed). Parsing and matching are the `ssh-config`
 * package's; Include it leaves to us, so files are inlined here where the directive stands.
 */
import { readdir, readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { basename, dirname, isAbsolute, join } from 'node:path'
import SSHConfig from 'ssh-config'
import type { HostFields } from '../../../protocol/schema'
import { expandHome } from '../paths'

const MAX_INCLUDE_DEPTH = 16

/** Include's files: relative to ~/.ssh, with * and ? wildcards in the last part. */
async function includeFiles(pattern: string, home: string): Promise<string[]> {
  const full = expandHome(pattern, home)
  const path = isAbsolute(full) ? full : join(home, '.ssh', full)
  const name = basename(path)
  if (!/[*?]/.test(name)) return [path]
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)
  try {
    return (await readdir(dirname(path))).filter((f) => re.test(f)).sort().map((f) => join(dirname(path), f))
  } catch {
    return []
  }
}

async function inlineIncludes(file: string, home: string, depth: number): Promise<string> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return ''
  }
  if (depth >= MAX_INCLUDE_DEPTH) return text
  const out: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*Include\s+(.+)$/i.exec(line)
    if (!match) {
      out.push(line)
      continue
    }
    for (const pattern of match[1]!.trim().split(/\s+/)) {
      for (const included of await includeFiles(pattern, home)) out.push(await inlineIncludes(included, home, depth + 1))
    }
  }
  return out.join('\n')
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** ssh's % tokens that make sense for a key path. */
function expandTokens(path: string, home: string, host: string, user: string): string {
  return path.replace(/%d/g, home).replace(/%u/g, userInfo().username).replace(/%h/g, host).replace(/%r/g, user).replace(/%%/g, '%')
}

/** Each named Host block (no wildcards) as a host's settings, unchecked: hosts.add's schema checks an import. */
export async function readSshConfig(home: string): Promise<HostFields[]> {
  const config = SSHConfig.parse(await inlineIncludes(join(home, '.ssh', 'config'), home, 0))
  const aliases: string[] = []
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') continue
    const values = Array.isArray(line.value) ? line.value.map((v) => v.val) : [line.value]
    for (const alias of values) if (!/[*?!]/.test(alias) && !aliases.includes(alias)) aliases.push(alias)
  }
  return aliases.map((alias) => {
    const computed = config.compute(alias) as Record<string, string | string[] | undefined>
    const address = (first(computed.HostName) ?? alias).replace(/%h/g, alias)
    const user = first(computed.User) ?? userInfo().username
    const entry: HostFields = { name: alias, address, port: Number(first(computed.Port) ?? 22), user }
    const identity = first(computed.IdentityFile)
    if (identity) entry.identityFile = expandHome(expandTokens(identity, home, address, user), home)
    if (first(computed.IdentitiesOnly)?.toLowerCase() === 'yes') entry.identitiesOnly = true
    const jump = first(computed.ProxyJump)
    if (jump && jump.toLowerCase() !== 'none') entry.proxyJump = jump
    return entry
  })
}
