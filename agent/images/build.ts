/** `docker build` from a context tar that main streams; output goes back line by line. */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import type { DataStream } from '../../protocol/wire/data-stream'
import { readableFrom } from '../../protocol/wire/node-streams'
import { jsonLines } from '../engine/json-lines'

export interface BuildOptions {
  dockerfile?: string
  tags?: string[]
  buildArgs?: string[]
  target?: string
}

interface BuildLine {
  stream?: string
  status?: string
  aux?: { ID?: string }
}

/** The last "Step n/m : ..." seen, so a failure can say which step failed. */
const STEP = /^Step \d+\/\d+ : .*/m

export async function buildFrom(docker: Docker, stream: DataStream, options: BuildOptions, output: (text: string) => void): Promise<string> {
  const query: Record<string, unknown> = { rm: true }
  if (options.dockerfile) query.dockerfile = options.dockerfile
  if (options.tags?.length) query.t = options.tags
  if (options.target) query.target = options.target
  if (options.buildArgs?.length) {
    query.buildargs = JSON.stringify(Object.fromEntries(options.buildArgs.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])))
  }
  const response = (await docker.buildImage(readableFrom(stream) as never, query)) as NodeJS.ReadableStream
  let imageId = ''
  let step = ''
  const failure = (message: string): Error => {
    // the build's own output ends with why it failed, as docker build's does
    output(`${message}\n`)
    return new BerthError('INVALID_INPUT', step ? `the build failed at ${step}: ${message}` : `the build failed: ${message}`, step ? { step } : undefined)
  }
  for await (const line of jsonLines<BuildLine>(response as AsyncIterable<Buffer>, { failure })) {
    if (line.aux?.ID) imageId = line.aux.ID
    const text = line.stream ?? (line.status ? `${line.status}\n` : '')
    if (!text) continue
    step = STEP.exec(text)?.[0].trim() ?? step
    output(text)
  }
  if (!imageId) throw new BerthError('INTERNAL', 'the engine finished the build without naming the image it made')
  return imageId
}
