/**
 * Confinement for the volume file browser. The schema has already refused paths that leave
 * the volume by `..` or are absolute; here symbolic links are resolved by the agent itself,
 * one component at a time with the engine's stat (HEAD archive), so the engine is only ever
 * asked about paths whose every folder is a real folder inside the volume. A link is
 * followed only while its target stays inside the volume: an absolute target, or a relative
 * one that climbs above the root, is refused with the path and the link named.
 */
import type { IncomingMessage } from 'node:http'
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { displayVolumePath, type VolumeFileEntry } from '../../protocol/schema'
import { HELPER_MOUNT } from './helper'

/** What the engine's X-Docker-Container-Path-Stat header holds. */
export interface PathStat {
  name: string
  size: number
  /** Go's os.FileMode: permission bits plus type bits high up. */
  mode: number
  mtime: string
  /** Resolved by the engine inside the helper's root filesystem: not what the link says. */
  linkTarget: string
}

/** As Linux's ELOOP limit: a chain of links longer than this is a loop or an attack. */
const MAX_LINK_HOPS = 40

const hasBit = (mode: number, bit: number): boolean => Math.floor(mode / 2 ** bit) % 2 === 1

/** Go FileMode type bits: dir 31, symlink 27, device 26, pipe 25, socket 24, char device 21, irregular 19. */
export function kindOfMode(mode: number): VolumeFileEntry['kind'] {
  if (hasBit(mode, 31)) return 'directory'
  if (hasBit(mode, 27)) return 'symlink'
  if ([26, 25, 24, 21, 19].some((bit) => hasBit(mode, bit))) return 'other'
  return 'file'
}

export function archivePath(path: string): string {
  return path ? `${HELPER_MOUNT}/${path}` : HELPER_MOUNT
}

/** The engine's lstat of a path inside the helper, or null when nothing is there. */
export async function statPath(container: Docker.Container, path: string): Promise<PathStat | null> {
  let res: IncomingMessage
  try {
    res = (await container.infoArchive({ path: archivePath(path) })) as IncomingMessage
  } catch (err) {
    // a HEAD answer has no body, so dockerode's message would wrongly say "no such container"
    if ((err as { statusCode?: number }).statusCode === 404) return null
    throw err
  }
  res.resume()
  const header = res.headers['x-docker-container-path-stat']
  if (typeof header !== 'string') throw new BerthError('INTERNAL', `the engine sent no stat for ${displayVolumePath(path)}`)
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat
}

export interface Resolved {
  /** The real path inside the volume, every link on the way followed. */
  path: string
  stat: PathStat
}

/** The engine's view of a volume: lstat, and a link's target exactly as written in the link. */
export interface VolumeLookup {
  stat: (path: string) => Promise<PathStat | null>
  readLink: (path: string) => Promise<string>
}

/**
 * Follows `path` (normalised, relative to the root) to what it names inside the volume.
 * `followLast` false stops at a final symbolic link (to look at the link itself).
 */
export async function resolveInVolume({ stat, readLink }: VolumeLookup, volume: string, path: string, followLast = true): Promise<Resolved> {
  const shown = displayVolumePath(path)
  const pending = path ? path.split('/') : []
  const resolved: string[] = []
  let hops = 0
  /** The stat of the last component added, so the end needs no second look at it. */
  let last: PathStat | null = null
  /** The last link followed: an escape can only come from a link, the schema refused the rest. */
  let via = ''
  const outside = (): BerthError =>
    new BerthError('PERMISSION_DENIED', `the path ${shown} goes through the symbolic link ${via}, which points outside the volume ${volume}: refused`, {
      path,
      link: via,
    })

  while (pending.length > 0) {
    const part = pending.shift()!
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (resolved.length === 0) throw outside()
      resolved.pop()
      last = null
      continue
    }
    const here = [...resolved, part].join('/')
    const found = await stat(here)
    if (!found) throw new BerthError('NOT_FOUND', `no file or folder ${displayVolumePath(here)} in volume ${volume}`, { path })
    const kind = kindOfMode(found.mode)
    if (kind === 'symlink' && (pending.length > 0 || followLast)) {
      hops += 1
      if (hops > MAX_LINK_HOPS) throw new BerthError('INVALID_INPUT', `the path ${shown} has too many levels of symbolic links`, { path })
      // the stat's linkTarget is already resolved by the engine inside the helper's own root,
      // which would clamp ../../.. to / and read /volume/... as inside: take the link's own text
      const target = await readLink(here)
      via = `${displayVolumePath(here)} -> ${target}`
      if (target.startsWith('/')) throw outside()
      pending.unshift(...target.split('/'))
      continue
    }
    if (pending.length > 0 && kind !== 'directory') {
      throw new BerthError('INVALID_INPUT', `${displayVolumePath(here)} is not a folder, so ${shown} cannot be inside it`, { path })
    }
    resolved.push(part)
    last = found
  }
  const real = resolved.join('/')
  const final = last ?? (await stat(real))
  if (!final) throw new BerthError('NOT_FOUND', `no file or folder ${shown} in volume ${volume}`, { path })
  return { path: real, stat: final }
}
