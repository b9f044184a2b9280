/**
 * Helper containers for the volume file browser: one per volume while it is being browsed,
 * created and never started. The engine's archive API works on created containers, so the
 * agent (an ordinary user who cannot read /var/lib/docker) reaches one volume's files through
 * the engine, and nothing else of the host: the helper mounts only that volume, has no
 * network, and its image is empty (made here by importing an empty tarball: no pull).
 * Helpers and their image carry the label berth.helper=volume-files so they are recognisable,
 * and go away when the window closes the browser or after HELPER_IDLE_MS unused.
 */
import { Readable } from 'node:stream'
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { jsonLines } from '../engine/json-lines'

export const HELPER_LABEL = 'berth.helper'
export const HELPER_LABEL_VALUE = 'volume-files'
export const HELPER_VOLUME_LABEL = 'berth.volume'
export const HELPER_IMAGE_REPO = 'berth/volume-files'
export const HELPER_IMAGE = `${HELPER_IMAGE_REPO}:1`
/** Where the helper mounts the volume; every archive path starts here. */
export const HELPER_MOUNT = '/volume'
export const HELPER_IDLE_MS = 60_000
/** An empty tarball is two zero blocks of 512 bytes. */
const EMPTY_TAR_BYTES = 1024

export function helperName(volume: string): string {
  return `berth-volume-files-${volume}`
}

interface Helper {
  id: string
  users: number
  timer: NodeJS.Timeout | undefined
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number } | undefined)?.statusCode
}

export class VolumeHelpers {
  private readonly helpers = new Map<string, Promise<Helper>>()
  /** Creating and removing helpers and the image one at a time keeps them from racing. */
  private lock: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly docker: Docker,
    private readonly idleMs = HELPER_IDLE_MS,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work)
    this.lock = run.catch(() => {})
    return run
  }

  /** Holds the volume's helper (creating it if needed) until `release` is called. */
  async acquire(volume: string): Promise<{ container: Docker.Container; release: () => void }> {
    let pending = this.helpers.get(volume)
    if (!pending) {
      pending = this.serial(() => this.create(volume))
      this.helpers.set(volume, pending)
      pending.catch(() => this.helpers.delete(volume))
    }
    const helper = await pending
    helper.users += 1
    clearTimeout(helper.timer)
    helper.timer = undefined
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      helper.users -= 1
      if (helper.users > 0) return
      helper.timer = setTimeout(() => void this.close(volume), this.idleMs)
      helper.timer.unref()
    }
    return { container: this.docker.getContainer(helper.id), release }
  }

  async use<T>(volume: string, work: (container: Docker.Container) => Promise<T>): Promise<T> {
    const { container, release } = await this.acquire(volume)
    try {
      return await work(container)
    } finally {
      release()
    }
  }

  /** Removes the volume's helper now (unless a transfer still uses it); true if one was removed. */
  async close(volume: string): Promise<boolean> {
    const pending = this.helpers.get(volume)
    if (!pending) {
      // a close already under way still counts: answer once its removal is done
      await this.lock
      return false
    }
    const helper = await pending.catch(() => null)
    if (!helper || helper.users > 0) return false
    clearTimeout(helper.timer)
    this.helpers.delete(volume)
    await this.serial(async () => {
      await this.docker.getContainer(helper.id).remove({ force: true, v: false }).catch(() => {})
      if (this.helpers.size === 0) await this.removeImage()
    })
    return true
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.helpers.keys()].map((v) => this.close(v)))
  }

  private async create(volume: string): Promise<Helper> {
    try {
      await this.docker.getVolume(volume).inspect()
    } catch (err) {
      if (statusOf(err) === 404) throw new BerthError('NOT_FOUND', `no volume named ${volume} on this host`)
      throw err
    }
    // a helper left by an earlier agent run (it exited before the idle time) is reused
    const leftovers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${HELPER_LABEL}=${HELPER_LABEL_VALUE}`, `${HELPER_VOLUME_LABEL}=${volume}`] },
    })
    const [reuse, ...extra] = leftovers
    for (const c of extra) await this.docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
    if (reuse) return { id: reuse.Id, users: 0, timer: undefined }
    await this.ensureImage()
    try {
      return await this.createContainer(volume)
    } catch (err) {
      // another agent on this engine removed the image between our check and the create
      if (statusOf(err) !== 404) throw err
      await this.ensureImage()
      return this.createContainer(volume)
    }
  }

  private async createContainer(volume: string): Promise<Helper> {
    const options: Docker.ContainerCreateOptions = {
      // named for what it is: the volume list shows it among the volume's users while browsing
      name: helperName(volume),
      Image: HELPER_IMAGE,
      // never run; the engine only insists that a container has a command
      Cmd: ['/berth-volume-files-never-runs'],
      Labels: { [HELPER_LABEL]: HELPER_LABEL_VALUE, [HELPER_VOLUME_LABEL]: volume },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        // NoCopy: the empty image has nothing to copy in, and the volume must stay as it is
        Mounts: [{ Type: 'volume', Source: volume, Target: HELPER_MOUNT, VolumeOptions: { NoCopy: true } as never }],
      },
    }
    const container = (await this.docker.createContainer(options)) as Docker.Container
    return { id: container.id, users: 0, timer: undefined }
  }

  private async ensureImage(): Promise<void> {
    try {
      await this.docker.getImage(HELPER_IMAGE).inspect()
      return
    } catch (err) {
      if (statusOf(err) !== 404) throw err
    }
    const progress = (await this.docker.importImage(Readable.from([Buffer.alloc(EMPTY_TAR_BYTES)]), {
      repo: HELPER_IMAGE_REPO,
      tag: HELPER_IMAGE.split(':')[1],
      changes: [`LABEL ${HELPER_LABEL}=${HELPER_LABEL_VALUE}`],
    } as object)) as NodeJS.ReadableStream
    const failure = (message: string): Error => new BerthError('INTERNAL', `could not make the helper image: ${message}`)
    // read to the end: an import can fail inside its 200 answer
    for await (const line of jsonLines(progress as AsyncIterable<Buffer>, { failure })) void line
  }

  private async removeImage(): Promise<void> {
    // refused (409) while another agent's helper on this engine still uses it: that one removes it later
    await this.docker.getImage(HELPER_IMAGE).remove().catch(() => {})
  }
}
