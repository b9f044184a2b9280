/** volumeFiles.* handlers: one helper manager and one transfer table per agent process. */
import type { volumeFileMethods, HandlersFor } from '../../protocol/schema'
import type { RequestContext } from '../../protocol/wire/peer'
import { VolumeHelpers } from './helper'
import { listFolder, readText } from './ops'
import { VolumeTransfers } from './transfers'
import type { AgentDeps } from '../runtime/types'

export function volumeFileHandlers({ docker }: AgentDeps): HandlersFor<typeof volumeFileMethods, RequestContext> {
  const helpers = new VolumeHelpers(docker)
  const transfers = new VolumeTransfers(helpers)
  return {
    'volumeFiles.list': async ({ volume, path }) => helpers.use(volume, (c) => listFolder(c, volume, path)),
    'volumeFiles.readText': async ({ volume, path }) => helpers.use(volume, (c) => readText(c, volume, path)),
    'volumeFiles.downloadStart': async ({ volume, path }) => transfers.startDownload(volume, path),
    'volumeFiles.downloadChunk': async ({ transferId }) => transfers.nextChunk(transferId),
    'volumeFiles.uploadStart': async (params) => transfers.startUpload(params),
    'volumeFiles.uploadChunk': async ({ transferId, offset, data }) => transfers.writeChunk(transferId, offset, data),
    'volumeFiles.uploadFinish': async ({ transferId }) => transfers.finishUpload(transferId),
    'volumeFiles.cancel': async ({ transferId }) => ({ cancelled: await transfers.cancel(transferId) }),
    'volumeFiles.close': async ({ volume }) => ({ closed: await helpers.close(volume) }),
  }
}
