/** volumeFiles.list and volumeFiles.readText: a folder's entries and a text file's start. */
import type { Readable } from 'node:stream'
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { displayVolumePath, MAX_LIST_ENTRIES, TEXT_VIEW_BYTES, type VolumeListing } from '../../protocol/schema'
import { firstEntry, readDirectory, readPrefix } from './tar'
import { archivePath, kindOfMode, type Resolved, resolveInVolume, statPath } from './paths'

/** File content a listing may read past (the tar holds the whole tree) before it stops. */
export const MAX_LIST_SCAN_BYTES = 256 * 1024 * 1024
/** Bytes looked at for a NUL, the mark of a binary file. */
const BINARY_SNIFF_BYTES = 8 * 1024

export async function getArchive(container: Docker.Container, path: string): Promise<Readable> {
  return (await container.getArchive({ path: archivePath(path) })) as unknown as Readable
}

/** A link's target as written: the engine archives a final link as the link itself. */
export async function readLink(container: Docker.Container, path: string): Promise<string> {
  const source = await getArchive(container, path)
  try {
    return (await firstEntry(source)).headers.linkname ?? ''
  } finally {
    source.destroy()
  }
}

export function resolveWith(container: Docker.Container, volume: string, path: string, followLast = true): Promise<Resolved> {
  return resolveInVolume({ stat: (p) => statPath(container, p), readLink: (p) => readLink(container, p) }, volume, path, followLast)
}

export async function listFolder(container: Docker.Container, volume: string, path: string): Promise<VolumeListing> {
  const target = await resolveWith(container, volume, path)
  if (kindOfMode(target.stat.mode) !== 'directory') {
    throw new BerthError('INVALID_INPUT', `${displayVolumePath(target.path)} is a file, not a folder`)
  }
  const read = await readDirectory(await getArchive(container, target.path), {
    maxEntries: MAX_LIST_ENTRIES,
    maxScannedBytes: MAX_LIST_SCAN_BYTES,
  })
  const entries = read.entries.sort(
    (a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name),
  )
  return { volume, path: target.path, entries, cutShort: read.cutShort }
}

/** UTF-8 text, allowing a character cut in two by the byte limit; null for anything else. */
export function decodeText(bytes: Buffer, cut: boolean): string | null {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return null
  const decoder = new TextDecoder('utf-8', { fatal: true })
  // a UTF-8 character is at most 4 bytes: drop up to 3 of a cut one
  for (let drop = 0; drop <= (cut ? 3 : 0); drop += 1) {
    try {
      return decoder.decode(bytes.subarray(0, bytes.length - drop))
    } catch {
      // try with one byte fewer
    }
  }
  return null
}

export async function readText(container: Docker.Container, volume: string, path: string) {
  const target = await resolveWith(container, volume, path)
  const shown = displayVolumePath(target.path)
  if (kindOfMode(target.stat.mode) !== 'file') throw new BerthError('INVALID_INPUT', `${shown} is not a file`)
  let bytes: Buffer = Buffer.alloc(0)
  if (target.stat.size > 0) {
    const source = await getArchive(container, target.path)
    try {
      bytes = await readPrefix((await firstEntry(source)).content, TEXT_VIEW_BYTES)
    } finally {
      source.destroy()
    }
  }
  const truncated = target.stat.size > TEXT_VIEW_BYTES
  const text = decodeText(bytes, truncated)
  if (text === null) throw new BerthError('UNSUPPORTED', `${shown} is a binary file, not text: download it to open it`)
  return { path: target.path, sizeBytes: target.stat.size, text, truncated }
}
