/**
 * The engine's JSON-lines answers (pull, push, build, load and import progress; the event
 * stream): one parsed object per line, whatever the chunks. A chunk may end mid-line or
 * mid-character, so text is decoded across chunks and a line is parsed only once whole.
 *
 * A failure after the engine has answered 200 comes inside the stream as an
 * `{error, errorDetail}` line: that line ends the reading with the caller's error (dockerode's
 * followProgress calls such a stream a success). A stream cut short just ends, its partial
 * line dropped: callers know what a whole answer ends with and say when it is missing.
 */
import { StringDecoder } from 'node:string_decoder'
import { BerthError } from '../../protocol/errors'

/** What any line of a progress stream may carry. */
export interface EngineLine {
  error?: string
  errorDetail?: { message?: string }
}

export interface JsonLinesOptions {
  /** The error an in-stream error line becomes, given the engine's words. */
  failure?: (message: string) => Error
  /** Pass over a line that is not a JSON object instead of failing (a long-lived stream outlives one bad line). */
  skipMalformed?: boolean
}

const internal = (message: string): Error => new BerthError('INTERNAL', message)

export async function* jsonLines<T extends object = Record<string, unknown>>(
  stream: AsyncIterable<Buffer | string>,
  options: JsonLinesOptions = {},
): AsyncGenerator<T & EngineLine> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  try {
    for await (const chunk of stream) {
      const lines = (rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk))).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) {
        const parsed = parseLine<T>(line, options)
        if (parsed) yield parsed
      }
    }
  } catch (err) {
    // destroyed before its end (a cancel, a dropped connection): the caller decides what is missing
    if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return
    throw err
  }
  // the last line may come without its newline
  const parsed = parseLine<T>(rest + decoder.end(), options)
  if (parsed) yield parsed
}

function parseLine<T extends object>(text: string, options: JsonLinesOptions): (T & EngineLine) | undefined {
  if (!text.trim()) return undefined
  let line: unknown
  try {
    line = JSON.parse(text)
  } catch (err) {
    if (options.skipMalformed) return undefined
    throw internal(`the engine sent a line that is not JSON: ${(err as Error).message}`)
  }
  if (typeof line !== 'object' || line === null) {
    if (options.skipMalformed) return undefined
    throw internal(`the engine sent a line that is not a JSON object: ${text.trim().slice(0, 200)}`)
  }
  const { error, errorDetail } = line as EngineLine
  if (error !== undefined || errorDetail?.message !== undefined) {
    throw (options.failure ?? internal)((errorDetail?.message ?? error ?? 'unknown error').trim())
  }
  return line as T & EngineLine
}
