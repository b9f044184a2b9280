/**
 * Moving images (save, load, import, copy between hosts) and their progress. Each move gets
 * its own id, which the core's transfer.progress events carry; the host's image list is
 * refreshed after a move that changed it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppEventPayload } from '../../../protocol/schema'
import { useApi } from '../api/use-api'
import { useImagesStore } from './images'

export interface MoveProgress {
  bytes: number
  totalBytes?: number
}

let counter = 0
const newTransferId = (): string => `move-${Date.now().toString(36)}-${(counter++).toString(36)}`

export const useImageMovesStore = defineStore('image-moves', () => {
  const api = useApi()
  const images = useImagesStore()
  const progress = ref<Record<string, MoveProgress>>({})

  api.on('transfer.progress', (p: AppEventPayload<'transfer.progress'>) => {
    if (p.transferId in progress.value) progress.value[p.transferId] = { bytes: p.bytes, ...(p.totalBytes ? { totalBytes: p.totalBytes } : {}) }
  })

  /** Runs one move, its progress under the returned id while it lasts. */
  async function track<T>(transferId: string, run: () => Promise<T>): Promise<T> {
    progress.value[transferId] = { bytes: 0 }
    try {
      return await run()
    } finally {
      delete progress.value[transferId]
    }
  }

  function start(): string {
    return newTransferId()
  }

  function saveToFile(transferId: string, hostId: string, image: string, path: string) {
    return track(transferId, () => api.invoke('images.saveToFile', { hostId, transferId, images: [image], path }))
  }

  async function loadFromFile(transferId: string, hostId: string, path: string) {
    const result = await track(transferId, () => api.invoke('images.loadFromFile', { hostId, transferId, path }))
    await images.fetch(hostId)
    return result
  }

  async function importFromFile(transferId: string, hostId: string, path: string, reference: string, changes: string[]) {
    const result = await track(transferId, () =>
      api.invoke('images.importFromFile', { hostId, transferId, path, ...(reference ? { reference } : {}), ...(changes.length ? { changes } : {}) }),
    )
    await images.fetch(hostId)
    return result
  }

  async function copy(transferId: string, fromHostId: string, toHostId: string, image: string, anyPlatform: boolean) {
    const result = await track(transferId, () =>
      api.invoke('images.copy', { fromHostId, toHostId, transferId, image, ...(anyPlatform ? { anyPlatform } : {}) }),
    )
    await images.fetch(toHostId)
    return result
  }

  return { progress, start, saveToFile, loadFromFile, importFromFile, copy }
})
