/** Upload bookkeeping on the agent: pieces in order, the announced size, and expiry. */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import type Docker from 'dockerode'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VolumeHelpers } from '../../agent/volume-files/helper'
import { VolumeTransfers } from '../../agent/volume-files/transfers'

const DIR_MODE = 2 ** 31 + 0o755

/** A helper whose engine knows one empty folder, the volume's root; uploads are recorded. */
function fakeHelpers() {
  const puts: unknown[] = []
  const container = {
    infoArchive: async ({ path }: { path: string }) => {
      if (path !== '/volume') throw Object.assign(new Error('not found'), { statusCode: 404 })
      const stat = { name: 'volume', size: 4096, mode: DIR_MODE, mtime: '', linkTarget: '' }
      return { headers: { 'x-docker-container-path-stat': Buffer.from(JSON.stringify(stat)).toString('base64') }, resume() {} }
    },
    putArchive: async (_tar: unknown, opts: unknown) => puts.push(opts),
  } as unknown as Docker.Container
  let held = 0
  const helpers = {
    acquire: async () => {
      held += 1
      return { container, release: () => (held -= 1) }
    },
  } as unknown as VolumeHelpers
  return { helpers, puts, held: () => held }
}

const uploadsInTmp = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('berth-upload-'))

afterEach(() => vi.useRealTimers())

describe('VolumeTransfers uploads', () => {
  it('takes pieces in order up to the announced size, then puts the file', async () => {
    const { helpers, puts, held } = fakeHelpers()
    const transfers = new VolumeTransfers(helpers)
    const { transferId, path } = await transfers.startUpload({ volume: 'data', directory: '', name: 'a.txt', sizeBytes: 5, overwrite: false })
    expect(path).toBe('a.txt')
    const b64 = (text: string) => Buffer.from(text).toString('base64')
    await expect(transfers.writeChunk(transferId, 3, b64('lo'))).rejects.toMatchObject({ message: 'expected the piece at byte 0, not 3' })
    expect(await transfers.writeChunk(transferId, 0, b64('hel'))).toEqual({ receivedBytes: 3 })
    await expect(transfers.writeChunk(transferId, 3, b64('lo!!'))).rejects.toMatchObject({ message: 'the upload is longer than the 5 bytes announced' })
    await transfers.writeChunk(transferId, 3, b64('lo'))
    expect(await transfers.finishUpload(transferId)).toEqual({ path: 'a.txt', sizeBytes: 5 })
    expect(puts).toEqual([{ path: '/volume', noOverwriteDirNonDir: true }])
    expect(held()).toBe(0)
  })

  it('refuses to finish an incomplete upload and keeps nothing', async () => {
    const { helpers, puts, held } = fakeHelpers()
    const transfers = new VolumeTransfers(helpers)
    const { transferId } = await transfers.startUpload({ volume: 'data', directory: '', name: 'b.txt', sizeBytes: 10, overwrite: false })
    await expect(transfers.finishUpload(transferId)).rejects.toMatchObject({ message: 'only 0 of 10 bytes arrived: the upload is incomplete' })
    expect(puts).toEqual([])
    expect(held()).toBe(0)
  })

  it('drops an upload nobody touches for the idle time, with its temporary file', async () => {
    vi.useFakeTimers()
    const { helpers, held } = fakeHelpers()
    const transfers = new VolumeTransfers(helpers, 1_000)
    const before = await uploadsInTmp()
    const { transferId } = await transfers.startUpload({ volume: 'data', directory: '', name: 'c.txt', sizeBytes: 1, overwrite: false })
    const mine = (await uploadsInTmp()).filter((n) => !before.includes(n))
    expect(mine).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1_100)
    vi.useRealTimers()
    await vi.waitFor(() => expect(held()).toBe(0))
    expect(existsSync(`${tmpdir()}/${mine[0]}`)).toBe(false)
    await expect(transfers.writeChunk(transferId, 0, 'QQ==')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
