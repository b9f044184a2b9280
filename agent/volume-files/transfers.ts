/**
 * Downloads and uploads of volume files, in pieces: one message between the window and main
 * is at most 1 MiB, so the agent holds each transfer under an id and the window pulls (or
 * pushes) TRANSFER_CHUNK_BYTES at a time. A transfer nobody touches for TRANSFER_IDLE_MS is
 * dropped. An upload is kept in a private temporary file until its last piece is in, so a
 * cancelled upload never leaves half a file in the volume.
 */
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type Docker from 'dockerode'
import type { z } from 'zod'
import { BerthError } from '../../protocol/errors'
import {
  displayVolumePath,
  joinVolumePath,
  MAX_TRANSFER_BYTES,
  TRANSFER_CHUNK_BYTES,
  type volumeUploadStartSchema,
} from '../../protocol/schema'
import type { VolumeHelpers } from './helper'
import { getArchive, resolveWith } from './ops'
import { archivePath, kindOfMode, statPath } from './paths'
import { firstEntry, singleFileTar } from './tar'

export const TRANSFER_IDLE_MS = 60_000
/** Transfers one agent holds at once, across all windows. */
const MAX_TRANSFERS = 16

interface Transfer {
  timer: NodeJS.Timeout | undefined
  /** Ends the transfer: frees the helper, the engine stream or the temporary file. */
  end: () => Promise<void>
}

interface Download extends Transfer {
  kind: 'download'
  chunks: AsyncIterator<Buffer>
  leftover: Buffer
  bytesSent: number
  tooLarge: string
}

interface Upload extends Transfer {
  kind: 'upload'
  container: Docker.Container
  volume: string
  directory: string
  name: string
  sizeBytes: number
  overwrite: boolean
  received: number
  file: FileHandle
  tempPath: string
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

export class VolumeTransfers {
  private readonly transfers = new Map<string, Download | Upload>()

  constructor(
    private readonly helpers: VolumeHelpers,
    private readonly idleMs = TRANSFER_IDLE_MS,
  ) {}

  private add(t: Download | Upload): string {
    const id = randomUUID()
    this.transfers.set(id, t)
    this.touch(id, t)
    return id
  }

  private touch(id: string, t: Transfer): void {
    clearTimeout(t.timer)
    t.timer = setTimeout(() => void this.cancel(id), this.idleMs)
    t.timer.unref()
  }

  private get<K extends 'download' | 'upload'>(id: string, kind: K): Extract<Download | Upload, { kind: K }> {
    const t = this.transfers.get(id)
    if (!t || t.kind !== kind) {
      throw new BerthError('NOT_FOUND', `no ${kind} ${id} in progress: it finished, was cancelled or sat unused for ${this.idleMs / 1000} s`)
    }
    this.touch(id, t)
    return t as Extract<Download | Upload, { kind: K }>
  }

  private roomCheck(): void {
    if (this.transfers.size >= MAX_TRANSFERS) {
      throw new BerthError('CONFLICT', `${MAX_TRANSFERS} file transfers are already in progress on this host: wait for one to finish`)
    }
  }

  async cancel(id: string): Promise<boolean> {
    const t = this.transfers.get(id)
    if (!t) return false
    this.transfers.delete(id)
    clearTimeout(t.timer)
    await t.end()
    return true
  }

  async startDownload(volume: string, path: string) {
    this.roomCheck()
    const { container, release } = await this.helpers.acquire(volume)
    let source: Readable | undefined
    try {
      const target = await resolveWith(container, volume, path)
      const shown = displayVolumePath(target.path)
      const kind = kindOfMode(target.stat.mode)
      const name = baseName(target.path) || volume
      if (kind === 'file' && target.stat.size > MAX_TRANSFER_BYTES) {
        throw new BerthError('UNSUPPORTED', `${shown} is larger than ${MAX_TRANSFER_BYTES / 1024 / 1024} MiB, the most the window downloads`)
      }
      if (kind !== 'file' && kind !== 'directory') throw new BerthError('INVALID_INPUT', `${shown} is neither a file nor a folder`)
      source = await getArchive(container, target.path)
      const stream = kind === 'file' ? (await firstEntry(source)).content : source
      const opened = source
      const download: Download = {
        kind: 'download',
        timer: undefined,
        chunks: (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator](),
        leftover: Buffer.alloc(0),
        bytesSent: 0,
        tooLarge: `the folder ${shown} is larger than ${MAX_TRANSFER_BYTES / 1024 / 1024} MiB as a tar: download the folders inside it one by one`,
        end: async () => {
          opened.destroy()
          release()
        },
      }
      const transferId = this.add(download)
      return {
        transferId,
        fileName: kind === 'file' ? name : `${name}.tar`,
        kind: kind === 'file' ? ('file' as const) : ('folder' as const),
        sizeBytes: kind === 'file' ? target.stat.size : null,
      }
    } catch (err) {
      source?.destroy()
      release()
      throw err
    }
  }

  async nextChunk(id: string) {
    const d = this.get(id, 'download')
    const parts = [d.leftover]
    let size = d.leftover.length
    let done = false
    try {
      while (size < TRANSFER_CHUNK_BYTES) {
        const next = await d.chunks.next()
        if (next.done) {
          done = true
          break
        }
        parts.push(next.value)
        size += next.value.length
      }
    } catch (err) {
      await this.cancel(id)
      throw err
    }
    const all = Buffer.concat(parts)
    const piece = all.subarray(0, TRANSFER_CHUNK_BYTES)
    d.leftover = all.subarray(piece.length)
    done &&= d.leftover.length === 0
    d.bytesSent += piece.length
    if (d.bytesSent > MAX_TRANSFER_BYTES) {
      await this.cancel(id)
      throw new BerthError('UNSUPPORTED', d.tooLarge)
    }
    if (done) await this.cancel(id)
    return { data: piece.toString('base64'), bytesSent: d.bytesSent, done }
  }

  /** Refuses to put a file where a folder or link is, or over a file unless asked to. */
  private async checkTarget(container: Docker.Container, directory: string, name: string, overwrite: boolean): Promise<void> {
    const path = joinVolumePath(directory, name)
    const existing = await statPath(container, path)
    if (!existing) return
    const kind = kindOfMode(existing.mode)
    const where = displayVolumePath(directory)
    if (kind === 'directory') throw new BerthError('CONFLICT', `a folder named ${name} already exists in ${where}`)
    if (kind !== 'file') throw new BerthError('CONFLICT', `${displayVolumePath(path)} exists and is not a regular file (a ${kind}): refused`)
    if (!overwrite) throw new BerthError('CONFLICT', `a file named ${name} already exists in ${where}: choose to replace it to overwrite it`)
  }

  async startUpload(p: z.output<typeof volumeUploadStartSchema>) {
    this.roomCheck()
    const { container, release } = await this.helpers.acquire(p.volume)
    let tempDir: string | undefined
    try {
      const dir = await resolveWith(container, p.volume, p.directory)
      if (kindOfMode(dir.stat.mode) !== 'directory') throw new BerthError('INVALID_INPUT', `${displayVolumePath(dir.path)} is not a folder`)
      await this.checkTarget(container, dir.path, p.name, p.overwrite)
      tempDir = await mkdtemp(join(tmpdir(), 'berth-upload-'))
      const tempPath = join(tempDir, 'data')
      const file = await open(tempPath, 'w', 0o600)
      const made = tempDir
      const upload: Upload = {
        kind: 'upload',
        timer: undefined,
        container,
        volume: p.volume,
        directory: dir.path,
        name: p.name,
        sizeBytes: p.sizeBytes,
        overwrite: p.overwrite,
        received: 0,
        file,
        tempPath,
        end: async () => {
          await file.close().catch(() => {})
          await rm(made, { recursive: true, force: true })
          release()
        },
      }
      return { transferId: this.add(upload), path: joinVolumePath(dir.path, p.name) }
    } catch (err) {
      if (tempDir) await rm(tempDir, { recursive: true, force: true })
      release()
      throw err
    }
  }

  async writeChunk(id: string, offset: number, data: string) {
    const u = this.get(id, 'upload')
    if (offset !== u.received) throw new BerthError('INVALID_INPUT', `expected the piece at byte ${u.received}, not ${offset}`)
    const bytes = Buffer.from(data, 'base64')
    if (u.received + bytes.length > u.sizeBytes) {
      throw new BerthError('INVALID_INPUT', `the upload is longer than the ${u.sizeBytes} bytes announced`)
    }
    await u.file.write(bytes, 0, bytes.length, offset)
    u.received += bytes.length
    return { receivedBytes: u.received }
  }

  async finishUpload(id: string) {
    const u = this.get(id, 'upload')
    try {
      if (u.received !== u.sizeBytes) {
        throw new BerthError('INVALID_INPUT', `only ${u.received} of ${u.sizeBytes} bytes arrived: the upload is incomplete`)
      }
      await u.file.close()
      // the folder may have changed while the pieces came in
      await this.checkTarget(u.container, u.directory, u.name, u.overwrite)
      const archive = singleFileTar(u.name, u.sizeBytes, createReadStream(u.tempPath))
      await u.container.putArchive(archive, { path: archivePath(u.directory), noOverwriteDirNonDir: true })
      return { path: joinVolumePath(u.directory, u.name), sizeBytes: u.sizeBytes }
    } finally {
      await this.cancel(id)
    }
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.transfers.keys()].map((id) => this.cancel(id)))
  }
}
