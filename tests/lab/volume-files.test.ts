/**
 * Browsing a volume's files through the agent on h1's real engine: list, view text, download
 * and upload, each checked with the docker CLI on the host; escapes by `..`, an absolute path
 * or a symbolic link refused; the helper container and image gone afterwards.
 */
import { createHash, randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TRANSFER_CHUNK_BYTES } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const VOLUME = 'vf-data'
const HELPER = 'label=berth.helper=volume-files'

let t: TestCore
let hostId: string

/** A shell script in a throwaway container with the volume at /v, as a user would check it. */
const inVolume = (script: string) => docker(h1, 'run', '--rm', '--network', 'none', '-v', `${VOLUME}:/v`, lab.image, 'sh', '-c', script)
const helpers = async () => (await docker(h1, 'ps', '-aq', '--filter', HELPER)).split('\n').filter(Boolean)
const helperImages = async () => (await docker(h1, 'images', '-q', '--filter', HELPER)).split('\n').filter(Boolean)

async function cleanUp(): Promise<void> {
  const ids = await helpers().catch(() => [])
  if (ids.length > 0) await docker(h1, 'rm', '-f', ...ids).catch(() => {})
  await docker(h1, 'rmi', '-f', 'berth/volume-files:1').catch(() => {})
  await docker(h1, 'volume', 'rm', '-f', VOLUME).catch(() => {})
}

beforeAll(async () => {
  await cleanUp()
  await docker(h1, 'volume', 'create', VOLUME)
  await inVolume(
    [
      'cd /v && busybox mkdir -p logs/deep empty',
      'echo hello > logs/app.txt && echo deep > logs/deep/d.txt',
      'busybox printf "\\000\\001\\002binary" > bin.dat',
      'busybox ln -s /etc etc-link && busybox ln -s ../../.. up-link && busybox ln -s logs current',
      'busybox head -c 1500000 /dev/urandom > big.bin',
    ].join(' && '),
  )
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
})
afterAll(async () => {
  await t?.core.invoke('volumeFiles.close', { hostId, volume: VOLUME })
  await t?.core.close()
  await cleanUp()
})

const list = (path: string) => call(t.core, 'volumeFiles.list', { hostId, volume: VOLUME, path })
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

async function download(path: string): Promise<{ fileName: string; data: Buffer; pieces: number }> {
  const start = await call(t.core, 'volumeFiles.downloadStart', { hostId, volume: VOLUME, path })
  const parts: Buffer[] = []
  for (;;) {
    const piece = await call(t.core, 'volumeFiles.downloadChunk', { hostId, transferId: start.transferId })
    parts.push(Buffer.from(piece.data, 'base64'))
    if (piece.done) break
  }
  return { fileName: start.fileName, data: Buffer.concat(parts), pieces: parts.length }
}

describe('a volume\'s files through the agent', () => {
  it('lists the root with kinds, sizes and link targets, as ls in a container shows', async () => {
    const root = await list('')
    const cli = (await inVolume('ls -A /v')).split('\n').sort()
    expect(root.entries.map((e) => e.name).sort()).toEqual(cli)
    const byName = Object.fromEntries(root.entries.map((e) => [e.name, e]))
    expect(byName.logs).toMatchObject({ kind: 'directory', mode: 'drwxr-xr-x' })
    expect(byName['etc-link']).toMatchObject({ kind: 'symlink', linkTarget: '/etc' })
    expect(byName['big.bin']).toMatchObject({ kind: 'file', sizeBytes: 1_500_000 })
    expect(root.entries[0]!.kind).toBe('directory')
    expect(root.cutShort).toBeNull()
    // one helper, created not started, mounting only this volume
    const [helper] = await helpers()
    const mounts = JSON.parse(await docker(h1, 'inspect', '-f', '{{json .Mounts}}', helper!)) as Array<{ Name: string }>
    expect(mounts.map((m) => m.Name)).toEqual([VOLUME])
    expect(await docker(h1, 'inspect', '-f', '{{.Name}} {{.State.Status}} {{.HostConfig.NetworkMode}}', helper!)).toBe(`/berth-volume-files-${VOLUME} created none`)
    // it is Berth's own: not in the user's container list, not a user of the volume
    const listed = await call(t.core, 'containers.list', { hostId })
    expect(listed.some((c) => helper!.startsWith(c.id.slice(0, 12)))).toBe(false)
    const volumes = await call(t.core, 'volumes.list', { hostId })
    expect(volumes.find((v) => v.name === VOLUME)?.containers).toEqual([])
  })

  it('lists a folder one level deep, and follows a link that stays inside', async () => {
    const logs = await list('logs')
    expect(logs.entries.map((e) => [e.name, e.kind, e.sizeBytes])).toEqual([['deep', 'directory', 0], ['app.txt', 'file', 6]])
    expect((await list('current')).path).toBe('logs')
    expect((await list('empty')).entries).toEqual([])
  })

  it('shows a text file and refuses a binary one', async () => {
    const text = await call(t.core, 'volumeFiles.readText', { hostId, volume: VOLUME, path: 'current/app.txt' })
    expect(text).toMatchObject({ text: 'hello\n', path: 'logs/app.txt', truncated: false })
    const binary = await t.core.invoke('volumeFiles.readText', { hostId, volume: VOLUME, path: 'bin.dat' })
    expect(binary).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: '/bin.dat is a binary file, not text: download it to open it' } })
  })

  it('refuses paths that escape the volume, by .., by an absolute path or through a symbolic link', async () => {
    const tries: Array<[string, string, string]> = [
      ['volumeFiles.readText', '../../etc/passwd', 'the path ../../etc/passwd leaves the volume (too many ..)'],
      ['volumeFiles.readText', '/etc/passwd', 'the path /etc/passwd is absolute, outside the volume'],
      ['volumeFiles.readText', 'etc-link/passwd', 'the path /etc-link/passwd goes through the symbolic link /etc-link -> /etc, which points outside the volume vf-data: refused'],
      ['volumeFiles.list', 'up-link', 'the path /up-link goes through the symbolic link /up-link -> ../../.., which points outside the volume vf-data: refused'],
      ['volumeFiles.downloadStart', 'up-link/etc/passwd', 'goes through the symbolic link /up-link -> ../../..'],
    ]
    for (const [method, path, message] of tries) {
      const answer = await t.core.invoke(method, { hostId, volume: VOLUME, path })
      expect(answer, `${method} ${path}`).toMatchObject({ ok: false, error: { message: expect.stringContaining(message) } })
    }
  })

  it('downloads a file in pieces, byte for byte what sha256sum reads on the host', async () => {
    const file = await download('big.bin')
    expect(file.fileName).toBe('big.bin')
    expect(file.pieces).toBe(Math.ceil(1_500_000 / TRANSFER_CHUNK_BYTES))
    expect(sha256(file.data)).toBe((await inVolume('busybox sha256sum /v/big.bin')).split(' ')[0])
  })

  it('downloads a folder as a tar of everything in it', async () => {
    const folder = await download('logs')
    expect(folder.fileName).toBe('logs.tar')
    const found: Record<string, string> = {}
    await new Promise<void>((resolve, reject) => {
      const extract = tar.extract()
      extract.on('entry', (h, stream, next) => {
        const parts: Buffer[] = []
        stream.on('data', (c: Buffer) => parts.push(c))
        stream.on('end', () => ((found[h.name] = Buffer.concat(parts).toString()), next()))
      })
      extract.on('finish', () => resolve())
      extract.on('error', reject)
      const input = new PassThrough()
      input.pipe(extract)
      input.end(folder.data)
    })
    expect(found).toMatchObject({ 'logs/app.txt': 'hello\n', 'logs/deep/d.txt': 'deep\n' })
  })

  it('uploads a file in pieces into a folder, as the host then sees it', async () => {
    const data = randomBytes(700 * 1024 + 3)
    const start = await call(t.core, 'volumeFiles.uploadStart', {
      hostId, volume: VOLUME, directory: 'logs/deep', name: 'up.bin', sizeBytes: data.length,
    })
    expect(start.path).toBe('logs/deep/up.bin')
    for (let offset = 0; offset < data.length; offset += TRANSFER_CHUNK_BYTES) {
      const piece = data.subarray(offset, offset + TRANSFER_CHUNK_BYTES).toString('base64')
      await call(t.core, 'volumeFiles.uploadChunk', { hostId, transferId: start.transferId, offset, data: piece })
    }
    expect(await inVolume('ls /v/logs/deep')).not.toContain('up.bin')
    await call(t.core, 'volumeFiles.uploadFinish', { hostId, transferId: start.transferId })
    expect((await inVolume('busybox sha256sum /v/logs/deep/up.bin')).split(' ')[0]).toBe(sha256(data))
    const again = await t.core.invoke('volumeFiles.uploadStart', { hostId, volume: VOLUME, directory: 'logs/deep', name: 'up.bin', sizeBytes: 1 })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('a file named up.bin already exists in /logs/deep') } })
    const intoLink = await t.core.invoke('volumeFiles.uploadStart', { hostId, volume: VOLUME, directory: 'etc-link', name: 'x', sizeBytes: 1 })
    expect(intoLink).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })

  it('leaves nothing in the volume when an upload is cancelled', async () => {
    const start = await call(t.core, 'volumeFiles.uploadStart', {
      hostId, volume: VOLUME, directory: '', name: 'half.txt', sizeBytes: 10,
    })
    await call(t.core, 'volumeFiles.uploadChunk', { hostId, transferId: start.transferId, offset: 0, data: Buffer.from('hello').toString('base64') })
    await call(t.core, 'volumeFiles.cancel', { hostId, transferId: start.transferId })
    expect(await inVolume('ls -A /v')).not.toContain('half.txt')
    const late = await t.core.invoke('volumeFiles.uploadFinish', { hostId, transferId: start.transferId })
    expect(late).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('removes the helper container and its image when browsing is done', async () => {
    expect(await helpers()).toHaveLength(1)
    expect(await helperImages()).toHaveLength(1)
    expect(await call(t.core, 'volumeFiles.close', { hostId, volume: VOLUME })).toEqual({ closed: true })
    expect(await helpers()).toEqual([])
    expect(await helperImages()).toEqual([])
    expect(await t.core.invoke('volumeFiles.list', { hostId, volume: 'vf-missing', path: '' })).toMatchObject({
      ok: false, error: { code: 'NOT_FOUND', message: 'no volume named vf-missing on this host' },
    })
    expect(await docker(h1, 'volume', 'ls', '-q', '--filter', 'name=vf-missing')).toBe('')
  })
})
