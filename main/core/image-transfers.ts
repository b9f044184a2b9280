/**
 * Images moved through this computer: save to a file, load or import from one, or copy from
 * one host to another. Bytes stream through with backpressure at every step (the slowest
 * of disk, link and engine sets the pace), so nothing is held whole in memory. A file being
 * written is a `.part` until it is complete, so a cut transfer never leaves a tar that looks
 * whole; `docker load` of a cut stream fails as a whole, so a host never gets half an image.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rename, stat, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { z } from 'zod'
import { BerthError, toErrorValue } from '../../protocol/errors'
import { archFit, normalizeArch } from '../../protocol/platform'
import { agentMethods, type HandlersFor, type HostView, type imageTransferMethods, transferAgentMethods } from '../../protocol/schema'
import { pipeInto, readableFrom } from '../../protocol/wire/node-streams'
import type { HostLink } from './hosts/host-link'
import { expandHome } from './paths'

const PROGRESS_EVERY_MS = 200

/**
 * Why an image should not be copied to a host: its programs could not run there. A host that
 * emulates the image's architecture (qemu through binfmt_misc) runs it, as the run form says.
 */
export function copyRefusal(image: string, imageArch: string, host: Pick<HostView, 'name' | 'arch' | 'emulated'>): BerthError | undefined {
  if (archFit(imageArch, host) !== 'foreign') return undefined
  return new BerthError(
    'CONFLICT',
    `${image} is built for ${imageArch}, and ${host.name} runs ${host.arch}: its programs would fail there with ` +
      `"exec format error" unless emulation (qemu through binfmt_misc) is set up on that host. Copy anyway to use it emulated.`,
    { imagePlatform: imageArch, hostArch: host.arch },
  )
}

export class ImageTransfers {
  constructor(
    private readonly link: (hostId: string) => HostLink,
    private readonly emit: (event: string, payload: unknown) => void,
    /** The configured home, for `~/` in a file path. */
    private readonly home: string,
  ) {}

  readonly handlers: HandlersFor<typeof imageTransferMethods> = {
    'images.saveToFile': async ({ hostId, transferId, images, path }) => this.saveToFile(hostId, transferId, images, this.expand(path)),
    'containers.exportToFile': async ({ hostId, transferId, container, path }) => {
      const file = this.expand(path)
      await directoryOf(file)
      const link = this.link(hostId)
      const opened = await link.connectedPeer().request('transfer.export', { container })
      const { streamId } = transferAgentMethods['transfer.export'].result.parse(opened)
      // the size of a container's filesystem is not known before it is read: bytes only
      return this.download(link, streamId, this.progress(transferId), file, 'export')
    },
    'images.loadFromFile': async ({ hostId, transferId, path }) => {
      const file = await existingFile(this.expand(path))
      const { result, bytes } = await this.upload(hostId, transferId, file, 'transfer.load', {})
      return { loaded: transferAgentMethods['transfer.load'].result.parse(result).loaded, bytes }
    },
    'images.importFromFile': async ({ hostId, transferId, path, reference, changes, message }) => {
      const file = await existingFile(this.expand(path))
      const options = { ...(reference ? { reference } : {}), ...(changes ? { changes } : {}), ...(message ? { message } : {}) }
      const { result, bytes } = await this.upload(hostId, transferId, file, 'transfer.import', options)
      return { id: transferAgentMethods['transfer.import'].result.parse(result).id, ...(reference ? { reference } : {}), bytes }
    },
    'images.copy': async (params) => this.copy(params),
  }

  private expand(path: string): string {
    return expandHome(path, this.home)
  }

  private progress(transferId: string, totalBytes?: number): (n: number) => void {
    let bytes = 0
    let last = 0
    return (n) => {
      bytes += n
      const now = Date.now()
      if (now - last < PROGRESS_EVERY_MS && n !== 0) return
      last = now
      this.emit('transfer.progress', { transferId, bytes, ...(totalBytes ? { totalBytes } : {}) })
    }
  }

  private async imageSize(link: HostLink, image: string): Promise<{ size: number; platform: string; os: string }> {
    const details = agentMethods['images.inspect'].result.parse(await link.request('images.inspect', { image }))
    return { size: details.size, platform: normalizeArch(details.architecture, details.variant), os: details.os }
  }

  private async saveToFile(hostId: string, transferId: string, images: string[], path: string): Promise<{ path: string; bytes: number }> {
    await directoryOf(path)
    const link = this.link(hostId)
    const sizes = await Promise.all(images.map((image) => this.imageSize(link, image)))
    const onBytes = this.progress(transferId, sizes.reduce((n, s) => n + s.size, 0))
    const { streamId } = transferAgentMethods['transfer.save'].result.parse(await link.connectedPeer().request('transfer.save', { images }))
    return this.download(link, streamId, onBytes, path, 'save')
  }

  /**
   * The agent's stream into a file here, as `.part` until it is whole. The `.part` has a name
   * nobody can guess and is created new (`wx`): a file or link planted beside the target (in a
   * shared folder, say) is never opened, so the bytes cannot be steered into another file.
   */
  private async download(link: HostLink, streamId: number, onBytes: (n: number) => void, path: string, what: string): Promise<{ path: string; bytes: number }> {
    const source = readableFrom(link.connectedPeer().acceptStream(streamId, { manualAck: true }))
    const part = `${path}.${randomBytes(8).toString('hex')}.part`
    let bytes = 0
    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      onBytes(chunk.length)
    })
    try {
      await pipeline(source, createWriteStream(part, { flags: 'wx', mode: 0o600 }))
    } catch (err) {
      await unlink(part).catch(() => {})
      throw cut(err, `the ${what} from ${link.config.name} was cut; no file was written`)
    }
    await rename(part, path)
    onBytes(0)
    return { path, bytes }
  }

  private async upload(
    hostId: string,
    transferId: string,
    file: { path: string; size: number },
    method: 'transfer.load' | 'transfer.import',
    options: object,
  ): Promise<{ result: unknown; bytes: number }> {
    const peer = this.link(hostId).connectedPeer()
    const stream = peer.openStream()
    const onBytes = this.progress(transferId, file.size)
    const done = peer.request(method, { streamId: stream.id, ...options }, { timeoutMs: transferAgentMethods[method].timeoutMs })
    let bytes = 0
    const sending = pipeInto(createReadStream(file.path), stream, (n) => {
      bytes += n
      onBytes(n)
    })
    // the engine's answer decides: a refused tar ends the stream from the far side too
    const [result] = await Promise.all([done, sending.catch(() => {})])
    onBytes(0)
    return { result, bytes }
  }

  private async copy(params: z.output<(typeof imageTransferMethods)['images.copy']['params']>): Promise<{ loaded: string[]; bytes: number }> {
    const { fromHostId, toHostId, transferId, image, anyPlatform } = params
    const from = this.link(fromHostId)
    const to = this.link(toHostId)
    const { size, platform } = await this.imageSize(from, image)
    const refusal = anyPlatform ? undefined : copyRefusal(image, platform, to.snapshot)
    if (refusal) throw refusal
    const target = to.connectedPeer()
    const { streamId } = transferAgentMethods['transfer.save'].result.parse(await from.connectedPeer().request('transfer.save', { images: [image] }))
    const source = readableFrom(from.connectedPeer().acceptStream(streamId, { manualAck: true }))
    const sink = target.openStream()
    const loading = target.request('transfer.load', { streamId: sink.id }, { timeoutMs: transferAgentMethods['transfer.load'].timeoutMs })
    let bytes = 0
    const onBytes = this.progress(transferId, size)
    let sourceError: unknown
    const sending = pipeInto(source, sink, (n) => {
      bytes += n
      onBytes(n)
    }).catch((err: unknown) => (sourceError = err))
    try {
      const [result] = await Promise.all([loading, sending])
      onBytes(0)
      return { loaded: transferAgentMethods['transfer.load'].result.parse(result).loaded, bytes }
    } catch (err) {
      throw cut(sourceError ?? err, `the copy from ${from.config.name} to ${to.config.name} was cut; nothing was loaded on ${to.config.name}`)
    }
  }
}

async function directoryOf(path: string): Promise<void> {
  const dir = dirname(path)
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) throw new BerthError('NOT_FOUND', `there is no folder ${dir} on this computer to save into`)
}

async function existingFile(path: string): Promise<{ path: string; size: number }> {
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile()) throw new BerthError('NOT_FOUND', `there is no file ${path} on this computer`)
  return { path, size: info.size }
}

/** A transfer that broke: the engine's or the link's reason, and what was (not) left behind. */
function cut(err: unknown, what: string): BerthError {
  const value = toErrorValue((err as { berth?: unknown }).berth ?? err)
  if (value.code === 'NOT_FOUND' || value.code === 'INVALID_INPUT' || value.code === 'CONFLICT') return BerthError.fromValue(value)
  return new BerthError(value.code === 'INTERNAL' ? 'UNREACHABLE' : value.code, `${what}: ${value.message}`)
}
