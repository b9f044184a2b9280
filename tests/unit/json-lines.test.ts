/**
 * The one reader of the engine's JSON-lines streams: objects come out whole however the
 * chunks cut the lines (and the UTF-8 inside them), and an error line inside the engine's
 * 200 answer fails the reading with the caller's error, as followProgress would not.
 */
import { PassThrough, Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { BerthError } from '../../protocol/errors'
import { jsonLines, type JsonLinesOptions } from '../../agent/engine/json-lines'

async function read(chunks: (string | Buffer)[], options?: JsonLinesOptions): Promise<unknown[]> {
  const out: unknown[] = []
  for await (const line of jsonLines(Readable.from(chunks, { objectMode: false }), options)) out.push(line)
  return out
}

/** Every way of cutting the text in two, three pieces. */
function cuts(text: Buffer): Buffer[][] {
  const all: Buffer[][] = []
  for (let i = 0; i <= text.length; i++) {
    for (let j = i; j <= text.length; j += 7) all.push([text.subarray(0, i), text.subarray(i, j), text.subarray(j)])
  }
  return all
}

describe('the engine JSON-lines reader', () => {
  const lines = [{ status: 'Pulling fs layer', id: 'abc' }, { stream: 'Step 1/2 : FROM ünïcödé ✓\n' }, { aux: { ID: 'sha256:1' } }]
  const text = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\r\n`).join(''))

  it('yields each object whole wherever the chunks split lines and characters', async () => {
    for (const chunks of cuts(text)) expect(await read(chunks)).toEqual(lines)
  })

  it('reads one byte at a time, blank lines between, and a last line without its newline', async () => {
    const bytes = Buffer.from(`\n${JSON.stringify(lines[0])}\n\n${JSON.stringify(lines[1])}`)
    expect(await read([...bytes].map((b) => Buffer.from([b])))).toEqual(lines.slice(0, 2))
  })

  it("fails with the caller's error for an in-stream error line, even split, after what came before", async () => {
    const failure = (message: string): Error => new BerthError('AUTH_FAILED', `refused: ${message}`)
    const seen: unknown[] = []
    const errorLine = Buffer.from(`${JSON.stringify(lines[0])}\n{"errorDetail":{"message":"denied: no access "},"error":"denied"}\n${JSON.stringify(lines[2])}\n`)
    for (const chunks of cuts(errorLine)) {
      seen.length = 0
      const reading = (async () => {
        for await (const line of jsonLines(Readable.from(chunks), { failure })) seen.push(line)
      })()
      await expect(reading).rejects.toMatchObject({ code: 'AUTH_FAILED', message: 'refused: denied: no access' })
      expect(seen).toEqual([lines[0]])
    }
  })

  it('takes `error` alone as a failure too, and fails as INTERNAL when the caller names no error', async () => {
    await expect(read(['{"error":"no space left on device"}\n'])).rejects.toMatchObject({ code: 'INTERNAL', message: 'no space left on device' })
  })

  it('fails on a line that is not JSON, unless told to pass over it', async () => {
    await expect(read(['{"status":"ok"}\nnot json\n'])).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(await read(['{"status":"ok"}\nnot json\n42\n{"status":"on"}\n'], { skipMalformed: true })).toEqual([{ status: 'ok' }, { status: 'on' }])
  })

  it('ends quietly when the stream is destroyed mid-line, dropping the partial line', async () => {
    const stream = new PassThrough()
    const out: unknown[] = []
    const reading = (async () => {
      for await (const line of jsonLines(stream)) {
        out.push(line)
        stream.destroy()
      }
    })()
    stream.write('{"status":"one"}\n{"status":"tw')
    await reading
    expect(out).toEqual([{ status: 'one' }])
  })

  it('passes a stream error on', async () => {
    const stream = new PassThrough()
    const reading = (async () => {
      for await (const line of jsonLines(stream)) void line
    })()
    setTimeout(() => stream.destroy(new Error('socket hang up')), 5)
    await expect(reading).rejects.toThrow('socket hang up')
  })
})
