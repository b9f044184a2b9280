/**
 * Between a DataStream and Node's streams, with backpressure both ways: a slow reader holds
 * back the credit (so the sender waits), and a blocked stream pauses its source.
 */
import { Readable } from 'node:stream'
import type { DataStream } from './data-stream'

/** The stream's bytes as a Readable; credit goes back only as the reader takes them. Pick the stream up with manualAck. */
export function readableFrom(stream: DataStream): Readable {
  let owed = 0
  const readable = new Readable({
    read() {
      if (owed > 0) {
        stream.consumed(owed)
        owed = 0
      }
    },
  })
  stream.on('data', (chunk) => {
    if (readable.push(chunk)) stream.consumed(chunk.length)
    else owed += chunk.length
  })
  stream.on('end', (error) => {
    if (error) readable.destroy(Object.assign(new Error(error.message), { berth: error }))
    else readable.push(null)
  })
  return readable
}

/** Writes a Readable into the stream, pausing it while the stream is blocked; ends the stream at the end. */
export function pipeInto(source: NodeJS.ReadableStream & { destroy?(error?: Error): void }, stream: DataStream, onBytes?: (n: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    source.on('data', (chunk: Buffer) => {
      onBytes?.(chunk.length)
      if (!stream.write(chunk)) {
        source.pause()
        stream.once('drain', () => source.resume())
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
