/**
 * Transferring images (save, load, import, copy between hosts, build) and containers' filesystems
 * (export), with their progress. Each transfer gets
 * its own id, which the core's transfer.progress events carry; the host's image list is
 * refreshed after a transfer that changed it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiResult, AppEventPayload } from '../../../../protocol/schema'
import { outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useImagesStore } from './images-store'

export interface BuildSpec {
  context: string
  dockerfile?: string
  tags: string[]
  buildArgs: string[]
  target?: string
}

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

  /** Runs one transfer, its progress under its id while it lasts; the host whose images it changed is fetched again. */
  async function track<T>(transferId: string, changedHostId: string | null, run: () => Promise<T>): Promise<Outcome<T>> {
    progress.value[transferId] = { bytes: 0 }
    const outcome = await outcomeOf(run)
    delete progress.value[transferId]
    if (outcome.ok && changedHostId !== null) await images.fetch(changedHostId)
    return outcome
  }

  function build(buildId: string, hostId: string, spec: BuildSpec): Promise<Outcome<ApiResult<'images.build'>>> {
    buildOutput.value[buildId] = ''
    return track(buildId, hostId, () =>
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
  }

  function start(): string {
    return newTransferId()
  }

  function saveToFile(transferId: string, hostId: string, image: string, path: string): Promise<Outcome<ApiResult<'images.saveToFile'>>> {
    return track(transferId, null, () => api.invoke('images.saveToFile', { hostId, transferId, images: [image], path }))
  }

  /** docker export: a container's filesystem into a tar file here; no image changes. */
  function exportContainer(transferId: string, hostId: string, container: string, path: string): Promise<Outcome<ApiResult<'containers.exportToFile'>>> {
    return track(transferId, null, () => api.invoke('containers.exportToFile', { hostId, transferId, container, path }))
  }

  function loadFromFile(transferId: string, hostId: string, path: string): Promise<Outcome<ApiResult<'images.loadFromFile'>>> {
    return track(transferId, hostId, () => api.invoke('images.loadFromFile', { hostId, transferId, path }))
  }

  function importFromFile(transferId: string, hostId: string, path: string, reference: string, changes: string[]): Promise<Outcome<ApiResult<'images.importFromFile'>>> {
    return track(transferId, hostId, () =>
      api.invoke('images.importFromFile', { hostId, transferId, path, ...(reference ? { reference } : {}), ...(changes.length ? { changes } : {}) }),
    )
  }

  function copy(transferId: string, fromHostId: string, toHostId: string, image: string, anyPlatform: boolean): Promise<Outcome<ApiResult<'images.copy'>>> {
    return track(transferId, toHostId, () =>
      api.invoke('images.copy', { fromHostId, toHostId, transferId, image, ...(anyPlatform ? { anyPlatform } : {}) }),
    )
  }

  return { progress, buildOutput, start, saveToFile, exportContainer, loadFromFile, importFromFile, copy, build }
})
