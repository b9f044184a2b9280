/**
 * Transferring images (save, load, import, copy between hosts) and their progress. Each transfer gets
 * its own id, which the core's transfer.progress events carry; the host's image list is
 * refreshed after a transfer that changed it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppEventPayload } from '../../../../protocol/schema'
import { useApi } from '../../api/use-api'
import { useImagesStore } from './images-store'

export interface TransferProgress {
  bytes: number
  totalBytes?: number
}

const MAX_BUILD_OUTPUT_CHARS = 200_000
let counter = 0
const newTransferId = (): string => `transfer-${Date.now().toString(36)}-${(counter++).toString(36)}`

export const useTransfersStore = defineStore('transfers', () => {
  const api = useApi()
  const images = useImagesStore()
  const progress = ref<Record<string, TransferProgress>>({})
  /** Build output by build id, kept to the last MAX_BUILD_OUTPUT_CHARS. */
  const buildOutput = ref<Record<string, string>>({})

  api.on('transfer.progress', (p: AppEventPayload<'transfer.progress'>) => {
    if (p.transferId in progress.value) progress.value[p.transferId] = { bytes: p.bytes, ...(p.totalBytes ? { totalBytes: p.totalBytes } : {}) }
  })

  api.on('build.output', (p: AppEventPayload<'build.output'>) => {
    if (p.buildId in buildOutput.value) buildOutput.value[p.buildId] = (buildOutput.value[p.buildId] + p.text).slice(-MAX_BUILD_OUTPUT_CHARS)
  })

  async function build(buildId: string, hostId: string, spec: { context: string; dockerfile?: string; tags: string[]; buildArgs: string[]; target?: string }) {
    buildOutput.value[buildId] = ''
    const result = await track(buildId, () =>
      api.invoke('images.build', {
        hostId,
        buildId,
        context: spec.context,
        ...(spec.dockerfile ? { dockerfile: spec.dockerfile } : {}),
        ...(spec.tags.length ? { tags: spec.tags } : {}),
        ...(spec.buildArgs.length ? { buildArgs: spec.buildArgs } : {}),
        ...(spec.target ? { target: spec.target } : {}),
      }),
    )
    await images.fetch(hostId)
    return result
  }

  /** Runs one transfer, its progress under the returned id while it lasts. */
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

  return { progress, buildOutput, start, saveToFile, loadFromFile, importFromFile, copy, build }
})
