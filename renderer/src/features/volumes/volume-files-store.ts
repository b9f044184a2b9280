/**
 * The volume file browser: one open folder per browsed volume, a text view, and transfers
 * with their progress. Downloads are pulled from the agent in pieces and put together into a
 * Blob here; uploads read the picked file a piece at a time (the window never holds it whole).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { TRANSFER_CHUNK_BYTES, type VolumeListing } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { base64ToBytes, bytesToBase64 } from './volume-file-bytes'

export interface FolderView {
  path: string
  listing: VolumeListing | null
  loading: boolean
  error: ErrorView | null
}

export interface TextView {
  path: string
  sizeBytes: number
  text: string
  truncated: boolean
}

export interface TransferView {
  id: number
  direction: 'download' | 'upload'
  label: string
  doneBytes: number
  /** Null while unknown (a folder's tar size). */
  totalBytes: number | null
  state: 'running' | 'done' | 'failed' | 'cancelled'
  error: ErrorView | null
  /** Set by the Cancel button; the transfer loop stops at its next piece. */
  cancelRequested: boolean
}

/** Thrown inside a transfer loop when the user cancelled it. */
class Cancelled extends Error {}

/** Where a browsed volume's folder view is kept in `folders`. */
export const folderKey = (hostId: string, volume: string) => `${hostId}\u0000${volume}`

export const useVolumeFilesStore = defineStore('volumeFiles', () => {
  const api = useApi()
  const folders = ref<Record<string, FolderView>>({})
  const transfers = ref<TransferView[]>([])
  let serial = 0

  async function open(hostId: string, volume: string, path: string): Promise<void> {
    const key = folderKey(hostId, volume)
    folders.value[key] ??= { path, listing: null, loading: true, error: null }
    // the reactive copy: writes to the plain object just stored would not show
    const view = folders.value[key]
    view.path = path
    view.loading = true
    try {
      const listing = await api.invoke('volumeFiles.list', { hostId, volume, path })
      Object.assign(view, { path: listing.path, listing, loading: false, error: null })
    } catch (err) {
      Object.assign(view, { loading: false, error: toErrorView(err) })
    }
  }

  function readText(hostId: string, volume: string, path: string): Promise<Outcome<TextView>> {
    return outcomeOf(() => api.invoke('volumeFiles.readText', { hostId, volume, path }))
  }

  function track(direction: TransferView['direction'], label: string, totalBytes: number | null): TransferView {
    serial += 1
    transfers.value.push({ id: serial, direction, label, doneBytes: 0, totalBytes, state: 'running', error: null, cancelRequested: false })
    // the reactive copy, so progress written to it shows
    return transfers.value[transfers.value.length - 1]!
  }

  function fail(t: TransferView, err: unknown): ErrorView {
    if (err instanceof Cancelled) {
      t.state = 'cancelled'
      return { code: 'CANCELLED', message: `the ${t.direction} of ${t.label} was cancelled` }
    }
    t.state = 'failed'
    t.error = toErrorView(err)
    return t.error
  }

  function checkCancel(t: TransferView): void {
    if (t.cancelRequested) throw new Cancelled()
  }

  async function download(hostId: string, volume: string, path: string): Promise<Outcome<{ fileName: string; blob: Blob }>> {
    let start
    try {
      start = await api.invoke('volumeFiles.downloadStart', { hostId, volume, path })
    } catch (err) {
      return { ok: false, error: toErrorView(err) }
    }
    const t = track('download', start.fileName, start.sizeBytes)
    const parts: Uint8Array<ArrayBuffer>[] = []
    try {
      for (;;) {
        checkCancel(t)
        const piece = await api.invoke('volumeFiles.downloadChunk', { hostId, transferId: start.transferId })
        parts.push(base64ToBytes(piece.data))
        t.doneBytes = piece.bytesSent
        if (piece.done) break
      }
    } catch (err) {
      await api.invoke('volumeFiles.cancel', { hostId, transferId: start.transferId }).catch(() => {})
      return { ok: false, error: fail(t, err) }
    }
    t.state = 'done'
    t.totalBytes = t.doneBytes
    const type = start.kind === 'folder' ? 'application/x-tar' : 'application/octet-stream'
    return { ok: true, value: { fileName: start.fileName, blob: new Blob(parts, { type }) } }
  }

  async function upload(hostId: string, volume: string, directory: string, file: Blob & { name: string }, overwrite: boolean): Promise<Outcome<{ path: string }>> {
    let start
    try {
      start = await api.invoke('volumeFiles.uploadStart', { hostId, volume, directory, name: file.name, sizeBytes: file.size, overwrite })
    } catch (err) {
      return { ok: false, error: toErrorView(err) }
    }
    const t = track('upload', file.name, file.size)
    try {
      for (let offset = 0; offset < file.size; offset += TRANSFER_CHUNK_BYTES) {
        checkCancel(t)
        const bytes = new Uint8Array(await file.slice(offset, offset + TRANSFER_CHUNK_BYTES).arrayBuffer())
        const answer = await api.invoke('volumeFiles.uploadChunk', { hostId, transferId: start.transferId, offset, data: bytesToBase64(bytes) })
        t.doneBytes = answer.receivedBytes
      }
      const done = await api.invoke('volumeFiles.uploadFinish', { hostId, transferId: start.transferId })
      t.state = 'done'
      return { ok: true, value: { path: done.path } }
    } catch (err) {
      await api.invoke('volumeFiles.cancel', { hostId, transferId: start.transferId }).catch(() => {})
      return { ok: false, error: fail(t, err) }
    }
  }

  function cancel(id: number): void {
    const t = transfers.value.find((x) => x.id === id)
    if (t) t.cancelRequested = true
  }

  function dismiss(id: number): void {
    transfers.value = transfers.value.filter((t) => t.id !== id)
  }

  /** Done browsing: the agent removes its helper container now rather than after a while. */
  async function close(hostId: string, volume: string): Promise<void> {
    delete folders.value[folderKey(hostId, volume)]
    await api.invoke('volumeFiles.close', { hostId, volume }).catch(() => {})
  }

  return { folders, transfers, open, readText, download, upload, cancel, dismiss, close }
})
