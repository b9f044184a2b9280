/** Tars the fake engine reads (load, build contexts, archive uploads) and writes (save). */
import { Readable } from 'node:stream'
import tar, { type Headers } from 'tar-stream'

export interface TarEntry {
  headers: Headers
  content: Buffer
}

/** Every entry of a tar held in memory; a body that is no tar reads as none. */
export function readTar(body: Buffer): Promise<TarEntry[]> {
  return new Promise((resolve) => {
    const entries: TarEntry[] = []
    const extract = tar.extract()
    extract.on('entry', (headers, stream, next) => {
      const parts: Buffer[] = []
      stream.on('data', (c: Buffer) => parts.push(c))
      stream.on('end', () => {
        entries.push({ headers, content: Buffer.concat(parts) })
        next()
      })
    })
    extract.on('finish', () => resolve(entries))
    extract.on('error', () => resolve(entries))
    Readable.from([body]).pipe(extract)
  })
}

/** A tar of the given entries, as one buffer. */
export function writeTar(entries: Array<{ name: string; content?: Buffer | string; type?: Headers['type']; mode?: number; linkname?: string; mtime?: Date }>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pack = tar.pack()
    const parts: Buffer[] = []
    pack.on('data', (c: Buffer) => parts.push(c))
    pack.on('end', () => resolve(Buffer.concat(parts)))
    pack.on('error', reject)
    for (const e of entries) {
      const headers: Headers = { name: e.name, type: e.type ?? 'file', mode: e.mode ?? 0o644, mtime: e.mtime ?? new Date('2024-02-01T10:00:00Z') }
      if (e.linkname !== undefined) headers.linkname = e.linkname
      if (headers.type === 'file') pack.entry(headers, e.content ?? '')
      else pack.entry(headers)
    }
    pack.finalize()
  })
}
