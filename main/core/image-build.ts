/**
 * `docker build` of a folder on this computer on any host: the folder goes as a tar stream
 * (what .dockerignore excludes stays here, as with the docker CLI), the build runs on the
 * host's engine, and its output comes back line by line as build.output events.
 */
import { readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import dockerignore from '@balena/dockerignore'
import { pack } from 'tar-fs'
import type { z } from 'zod'
import { BerthError } from '../../protocol/errors'
import { type HandlersFor, type imageBuildMethods, transferAgentEvents, transferAgentMethods } from '../../protocol/schema'
import { pipeInto } from '../../protocol/wire/node-streams'
import type { HostLink } from './hosts/host-link'
import { expandHome } from './paths'

type BuildParams = z.output<(typeof imageBuildMethods)['images.build']['params']>

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false
}

/** The context as a tar stream, without what .dockerignore names (the Dockerfile and .dockerignore always go). */
async function contextTar(context: string, dockerfile: string): Promise<NodeJS.ReadableStream> {
  const rules = await readFile(join(context, '.dockerignore'), 'utf8').catch(() => '')
  const ignored = dockerignore({ ignorecase: false }).add(rules)
  return pack(context, {
    ignore: (name) => {
      const rel = relative(context, name).split(sep).join('/')
      if (rel === '' || rel === dockerfile || rel === '.dockerignore') return false
      return ignored.ignores(rel)
    },
  })
}

export class ImageBuilds {
  constructor(
    private readonly link: (hostId: string) => HostLink,
    private readonly emit: (event: string, payload: unknown) => void,
    /** The configured home, for `~/` in a context path. */
    private readonly home: string,
  ) {}

  readonly handlers: HandlersFor<typeof imageBuildMethods> = {
    'images.build': async (params) => this.build(params),
  }

  private async build({ hostId, buildId, context: given, dockerfile = 'Dockerfile', ...options }: BuildParams) {
    const context = expandHome(given, this.home)
    if (!(await isDirectory(context))) throw new BerthError('NOT_FOUND', `there is no folder ${context} on this computer to build from`)
    const dockerfileInfo = await stat(join(context, dockerfile)).catch(() => undefined)
    if (!dockerfileInfo?.isFile()) throw new BerthError('NOT_FOUND', `there is no ${dockerfile} in ${context}`)

    const peer = this.link(hostId).connectedPeer()
    const stream = peer.openStream()
    const onEvent = (event: string, payload: unknown): void => {
      if (event !== 'transfer.buildOutput') return
      const parsed = transferAgentEvents['transfer.buildOutput'].safeParse(payload)
      if (parsed.success && parsed.data.streamId === stream.id) this.emit('build.output', { buildId, text: parsed.data.text })
    }
    peer.on('event', onEvent)
    let contextBytes = 0
    try {
      const building = peer.request(
        'transfer.build',
        { streamId: stream.id, dockerfile, ...options },
        { timeoutMs: transferAgentMethods['transfer.build'].timeoutMs },
      )
      const sending = pipeInto(await contextTar(context, dockerfile), stream, (n) => {
        contextBytes += n
        this.emit('transfer.progress', { transferId: buildId, bytes: contextBytes })
      })
      const [result] = await Promise.all([building, sending.catch(() => {})])
      const { imageId } = transferAgentMethods['transfer.build'].result.parse(result)
      return { imageId, tags: options.tags ?? [], contextBytes }
    } finally {
      peer.off('event', onEvent)
    }
  }
}
