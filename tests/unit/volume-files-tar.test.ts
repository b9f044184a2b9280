/** The tar side of the volume browser, against archives shaped like the engine's. */
import { PassThrough, Readable } from 'node:stream'
import tar from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { decodeText } from '../../agent/volume-files/ops'
import { childPath, firstEntry, modeString, readDirectory, readPrefix, singleFileTar } from '../../agent/volume-files/tar'

type Item = { name: string; type?: 'file' | 'directory' | 'symlink'; content?: string | Buffer; linkname?: string; mode?: number }

/** An archive as GET /containers/{id}/archive?path=/volume/data sends it: names start with data/. */
function archive(items: Item[]): Readable {
  const pack = tar.pack()
  for (const item of items) {
    const body = item.content ?? ''
    pack.entry({ name: item.name, type: item.type ?? 'file', mode: item.mode ?? 0o644, mtime: new Date(0), linkname: item.linkname ?? null }, body)
  }
  pack.finalize()
  // the engine's answer is a plain Node stream (an HTTP response), not tar-stream's own kind
  return pack.pipe(new PassThrough())
}

const tree: Item[] = [
  { name: 'data', type: 'directory', mode: 0o755 },
  { name: 'data/a.txt', content: 'alpha' },
  { name: 'data/sub', type: 'directory', mode: 0o755 },
  { name: 'data/sub/deep.txt', content: 'deep' },
  { name: 'data/link', type: 'symlink', linkname: '/etc', mode: 0o777 },
  { name: `data/${'n'.repeat(150)}`, content: 'long name (PAX)' },
]

describe('reading the engine archives', () => {
  it('names entries relative to the archived folder', () => {
    expect(childPath('data')).toBeNull()
    expect(childPath('data/')).toBeNull()
    expect(childPath('data/a.txt')).toBe('a.txt')
    expect(childPath('data/sub/')).toBe('sub')
    expect(childPath('data/sub/deep.txt')).toBe('sub/deep.txt')
  })

  it('lists only the entries one level down, with kind, size, mode and link target', async () => {
    const read = await readDirectory(archive(tree), { maxEntries: 100, maxScannedBytes: 1e6 })
    expect(read.cutShort).toBeNull()
    expect(read.entries.map((e) => [e.name, e.kind, e.sizeBytes, e.mode, e.linkTarget])).toEqual([
      ['a.txt', 'file', 5, '-rw-r--r--', ''],
      ['sub', 'directory', 0, 'drwxr-xr-x', ''],
      ['link', 'symlink', 0, 'lrwxrwxrwx', '/etc'],
      ['n'.repeat(150), 'file', 15, '-rw-r--r--', ''],
    ])
  })

  it('stops at the entry limit and says the listing was cut short', async () => {
    const many: Item[] = [{ name: 'data', type: 'directory' }, ...Array.from({ length: 50 }, (_, i) => ({ name: `data/f${i}`, content: 'x' }))]
    const source = archive(many)
    const read = await readDirectory(source, { maxEntries: 10, maxScannedBytes: 1e6 })
    expect(read.entries).toHaveLength(10)
    expect(read.cutShort).toBe('the folder has more than 10 entries: only the first 10 are listed')
    expect(source.destroyed).toBe(true)
  })

  it('stops reading a tree with large files deep down', async () => {
    const big: Item[] = [
      { name: 'data', type: 'directory' },
      { name: 'data/a', type: 'directory' },
      { name: 'data/a/big', content: Buffer.alloc(3 * 1024 * 1024) },
      { name: 'data/b.txt', content: 'never reached' },
    ]
    const read = await readDirectory(archive(big), { maxEntries: 10, maxScannedBytes: 1024 * 1024 })
    expect(read.entries.map((e) => e.name)).toEqual(['a'])
    expect(read.cutShort).toBe("listing stopped after reading 1 MiB of the folder's contents: some entries may be missing")
  })

  it('reads the first bytes of a file archive', async () => {
    const source = archive([{ name: 'big.log', content: 'x'.repeat(10_000) }])
    const { headers, content } = await firstEntry(source)
    expect(headers.size).toBe(10_000)
    expect((await readPrefix(content, 100)).toString()).toBe('x'.repeat(100))
  })

  it('writes a one-file tar the engine can extract', async () => {
    const packed = singleFileTar('notes.txt', 5, Readable.from([Buffer.from('hel'), Buffer.from('lo')]))
    const { headers, content } = await firstEntry(packed)
    expect(headers).toMatchObject({ name: 'notes.txt', size: 5, type: 'file', mode: 0o644 })
    expect((await readPrefix(content, 1000)).toString()).toBe('hello')
  })
})

describe('text or binary', () => {
  it('takes UTF-8 text, even with a character cut at the byte limit', () => {
    expect(decodeText(Buffer.from('grüße'), false)).toBe('grüße')
    const cut = Buffer.from('abc€').subarray(0, 5)
    expect(decodeText(cut, true)).toBe('abc')
    expect(decodeText(cut, false)).toBeNull()
  })

  it('refuses bytes with a NUL or that are not UTF-8', () => {
    expect(decodeText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), false)).toBeNull()
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x41]), false)).toBeNull()
    expect(modeString('file', 0o4755)).toBe('-rwxr-xr-x')
  })
})
