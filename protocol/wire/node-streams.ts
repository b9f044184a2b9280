/**
 * Between a DataStream and Node's streams, with backpressure both ways: a slow reader holds
 * back the credit (so the sender waits), and a blocked stream pauses its source.
 */
import { Readable } from 'node:stream'
import type { DataStream } from './data-stream'

/**
 * The stream's bytes as a Readable. Chunks go into the Readable only while it asks for more
 * (push() returning false stops them; the rest wait here, bounded by the sender's credit), and
 * credit goes back only for what the reader has taken out of it: what read() hands out, or what
 * a flowing Readable passes straight to its reader. Pick the stream up with manualAck.
 *
 * Credit is not paid back from _read(): Node calls it again only after a push, and with nothing
 * waiting there is nothing to push, so bytes taken after it would never be acknowledged.
 */
export function readableFrom(stream: DataStream): Readable {
  const waiting: Buffer[] = []
  let full = false
  let endPending = false
  const taken = (bytes: number): void => {
    if (bytes > 0) stream.consumed(bytes)
  }
  const push = (chunk: Buffer): void => {
    const before = readable.readableLength
    full = !readable.push(chunk)
    // a flowing Readable with nothing buffered hands the chunk to its reader at once
    if (readable.readableLength === before) taken(chunk.length)
  }
  const readable = new (class extends Readable {
    override read(size?: number): unknown {
      const chunk: unknown = super.read(size)
      if (chunk !== null && chunk !== undefined) taken(typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Buffer).length)
      return chunk
    }
  })({
    read() {
      full = false
      while (!full && waiting.length > 0) push(waiting.shift()!)
      if (!full && waiting.length === 0 && endPending) {
        endPending = false
        readable.push(null)
      }
    },
  })
  stream.on('data', (chunk) => {
    if (full || waiting.length > 0) waiting.push(chunk)
    else push(chunk)
  })
  stream.on('end', (error) => {
    if (error) {
      waiting.length = 0
      readable.destroy(Object.assign(new Error(error.message), { berth: error }))
    } else if (waiting.length > 0) endPending = true
    else readable.push(null)
  })
  return readable
}

/** Writes a Readable into the stream, pausing it while the stream is blocked; ends the stream at the end. */
export function pipeInto(source: NodeJS.ReadableStream & { destroy?(error?: Error): void }, stream: DataStream, onBytes?: (n: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let paused = false
    source.on('data', (chunk: Buffer) => {
      onBytes?.(chunk.length)
      // one wait for 'drain' at a time, however many chunks a source emits before it pauses
      if (!stream.write(chunk) && !paused) {
        paused = true
        source.pause()
        stream.once('drain', () => {
          paused = false
          source.resume()
        })
      }
    })
    source.on('end', () => {
      stream.endWhenFlushed()
      resolve()
    })
    source.on('error', (err: Error) => {
      stream.end({ code: 'INTERNAL', message: err.message })
      reject(err)
    })
    stream.on('end', (error) => {
      // the other side gave up (or the link dropped): stop reading
      if (error) {
        source.destroy?.()
        reject(Object.assign(new Error(error.message), { berth: error }))
      }
    })
  })
}
