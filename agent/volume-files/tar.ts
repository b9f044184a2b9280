/**
 * The tar side of the volume file browser: the engine's archive API speaks tar both ways.
 *
 * Why tar-stream: it is already installed (dockerode's tar-fs depends on it, so it ships with
 * the agent's bundle), it streams, and it reads the PAX and GNU long-name headers Go's
 * archive/tar writes. A listing must read headers one level deep and stop early; a text view
 * reads the first bytes of one entry; an upload is a one-file tar. tar-stream does all three
 * without touching a filesystem (unlike tar-fs), so no tar code of our own is needed.
 */
import { PassThrough, type Readable } from 'node:stream'
import tar, { type Headers } from 'tar-stream'
import type { VolumeFileEntry } from '../../protocol/schema'

export interface ListLimits {
  maxEntries: number
  /** Bytes of file content the tar may carry before the listing stops reading. */
  maxScannedBytes: number
}

export interface DirectoryRead {
  entries: VolumeFileEntry[]
  cutShort: string | null
}

const KIND_CHARS: Record<VolumeFileEntry['kind'], string> = { file: '-', directory: 'd', symlink: 'l', other: '?' }

/** `ls -l` style: the kind's letter then rwx for owner, group and others. */
export function modeString(kind: VolumeFileEntry['kind'], mode: number): string {
  let out = KIND_CHARS[kind]
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 7
    out += `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`
  }
  return out
}

function kindOf(type: Headers['type']): VolumeFileEntry['kind'] {
  if (type === 'file' || type === 'contiguous-file' || type === 'link') return 'file'
  if (type === 'directory') return 'directory'
  if (type === 'symlink') return 'symlink'
  return 'other'
}

export function entryFromHeader(name: string, h: Headers): VolumeFileEntry {
  const kind = kindOf(h.type)
  return {
    name,
    kind,
    // a hard link's tar entry carries no content, so no size either
    sizeBytes: h.type === 'link' ? null : (h.size ?? 0),
    mode: modeString(kind, h.mode ?? 0),
    modified: (h.mtime ?? new Date(0)).toISOString(),
    linkTarget: h.type === 'symlink' ? (h.linkname ?? '') : '',
  }
}

/**
 * The name an archive entry has below the folder that was archived, or null for that folder
 * itself: the engine names every entry after the folder's own base name (`logs/app.txt`).
 */
export function childPath(entryName: string): string | null {
  const at = entryName.indexOf('/')
  if (at < 0) return null
  const rest = entryName.slice(at + 1).replace(/\/+$/, '')
  return rest === '' ? null : rest
}

/**
 * Reads the entries directly inside the archived folder. The tar holds the whole tree, file
 * contents too, so reading stops at the limits and says so rather than read a huge tree.
 */
export function readDirectory(source: Readable, limits: ListLimits): Promise<DirectoryRead> {
  return new Promise((resolve, reject) => {
    const entries: VolumeFileEntry[] = []
    const extract = tar.extract()
    let scannedBytes = 0
    let settled = false
    const finish = (cutShort: string | null): void => {
      if (settled) return
      settled = true
      source.unpipe(extract)
      source.destroy()
      extract.destroy()
      resolve({ entries, cutShort })
    }
    extract.on('entry', (headers, stream, next) => {
      const rest = childPath(headers.name)
      if (rest !== null && !rest.includes('/')) {
        if (entries.length >= limits.maxEntries) {
          finish(`the folder has more than ${limits.maxEntries} entries: only the first ${limits.maxEntries} are listed`)
          return
        }
        entries.push(entryFromHeader(rest, headers))
      }
      scannedBytes += headers.size ?? 0
      if (scannedBytes > limits.maxScannedBytes) {
        const mib = Math.round(limits.maxScannedBytes / 1024 / 1024)
        finish(`listing stopped after reading ${mib} MiB of the folder's contents: some entries may be missing`)
        return
      }
      stream.on('end', () => next())
      stream.resume()
    })
    extract.on('finish', () => finish(null))
    extract.on('error', (err) => {
      if (settled) return
      settled = true
      source.destroy()
      reject(err)
    })
    source.on('error', (err) => extract.destroy(err))
    source.pipe(extract)
  })
}

/**
 * The content of the first entry of an archive (a file's archive holds just that file). The
 * caller reads it and then destroys `source` to stop the rest.
 */
export function firstEntry(source: Readable): Promise<{ headers: Headers; content: Readable }> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract()
    let found = false
    extract.on('entry', (headers, stream) => {
      if (found) return
      found = true
      // tar-stream's own stream kind never settles a for-await that stops early: hand on a Node one
      resolve({ headers, content: stream.pipe(new PassThrough()) })
    })
    extract.on('finish', () => {
      if (!found) reject(new Error('the archive the engine sent was empty'))
    })
    extract.on('error', (err) => {
      if (!found) reject(err)
    })
    source.on('error', (err) => extract.destroy(err))
    source.pipe(extract)
  })
}

/** Reads up to `maxBytes` of a stream, then stops it. */
export async function readPrefix(stream: Readable, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let total = 0
  for await (const chunk of stream) {
    const buf = chunk as Buffer
    parts.push(buf)
    total += buf.length
    if (total >= maxBytes) break
  }
  stream.destroy()
  return Buffer.concat(parts).subarray(0, maxBytes)
}

/** A tar holding one regular file, for the engine's PUT archive. */
export function singleFileTar(name: string, sizeBytes: number, content: Readable): Readable {
  const pack = tar.pack()
  const out = new PassThrough()
  pack.on('error', (err) => out.destroy(err))
  pack.pipe(out)
  const entry = pack.entry({ name, size: sizeBytes, mode: 0o644, mtime: new Date(), type: 'file' }, (err) => {
    if (err) out.destroy(err)
    else pack.finalize()
  })
  content.on('error', (err) => out.destroy(err))
  content.pipe(entry)
  return out
}
