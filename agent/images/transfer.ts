/** docker save / load / import, and a container's export, on streams that come from or go to main. */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { jsonLines } from '../engine/json-lines'
import type { DataStream } from '../../protocol/wire/data-stream'
import { pipeInto, readableFrom } from '../../protocol/wire/node-streams'

/** Starts `docker save` of the images into the stream; an engine refusal fails the stream. */
export async function saveInto(docker: Docker, images: string[], stream: DataStream): Promise<void> {
  // check each first: an unknown one is a clear NOT_FOUND, not a broken tar halfway
  await Promise.all(images.map((image) => docker.getImage(image).inspect()))
  const tar = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    docker.modem.dial(
      {
        path: '/images/get?',
        method: 'GET',
        options: { names: images },
        isStream: true,
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream)),
    ),
  )
  pipeInto(tar, stream).catch(() => {
    // the reader gave up or the link dropped: the stream already says so to main
  })
}

/** Starts `docker export` of the container's filesystem into the stream. */
export async function exportInto(docker: Docker, container: string, stream: DataStream): Promise<void> {
  const handle = docker.getContainer(container)
  // checked first: an unknown one is a clear NOT_FOUND, not a broken tar halfway
  await handle.inspect()
  const tar = (await handle.export()) as NodeJS.ReadableStream
  pipeInto(tar, stream).catch(() => {
    // the reader gave up or the link dropped: the stream already says so to main
  })
}

interface ProgressLine {
  stream?: string
  status?: string
}

/** The text of the engine's progress lines; an error line inside its 200 answer fails it. */
async function readProgress(response: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = []
  const failure = (message: string): Error => new BerthError('INVALID_INPUT', message)
  for await (const line of jsonLines<ProgressLine>(response as AsyncIterable<Buffer>, { failure })) {
    const text = (line.stream ?? line.status ?? '').trim()
    if (text) lines.push(text)
  }
  return lines
}

/** `docker load` from a stream main writes; says what was loaded. */
export async function loadFrom(docker: Docker, stream: DataStream): Promise<string[]> {
  const response = (await docker.loadImage(readableFrom(stream), { quiet: true })) as NodeJS.ReadableStream
  const loaded = (await readProgress(response))
    .map((line) => /^Loaded image(?: ID)?: (.+)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined)
  if (loaded.length === 0) throw new BerthError('INVALID_INPUT', 'the engine loaded nothing: is this a tar file made by docker save?')
  return loaded
}

/** `docker import` of a root filesystem tarball from a stream main writes. */
export async function importFrom(
  docker: Docker,
  stream: DataStream,
  options: { reference?: string; changes?: string[]; message?: string },
): Promise<string> {
  const query: Record<string, unknown> = {}
  if (options.reference) {
    const at = options.reference.lastIndexOf(':')
    const hasTag = at > options.reference.lastIndexOf('/')
    query.repo = hasTag ? options.reference.slice(0, at) : options.reference
    query.tag = hasTag ? options.reference.slice(at + 1) : 'latest'
  }
  if (options.changes?.length) query.changes = options.changes
  if (options.message) query.message = options.message
  const response = (await docker.importImage(readableFrom(stream) as never, query)) as NodeJS.ReadableStream
  const lines = await readProgress(response)
  const id = lines.map((l) => /^(sha256:[0-9a-f]{64})$/.exec(l)?.[1]).find((x) => x !== undefined)
  if (!id) throw new BerthError('INVALID_INPUT', `the engine did not say which image it made: ${lines.join('; ') || 'no answer'}`)
  return id
}
