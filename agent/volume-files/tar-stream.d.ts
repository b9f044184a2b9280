/**
 * Types for tar-stream 2 (what dockerode's own tar-fs uses), for the parts the volume file
 * browser needs. The package ships no types and @types/tar-stream is not installed.
 */
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream'

  export interface Headers {
    name: string
    size?: number
    mode?: number
    mtime?: Date
    type?: 'file' | 'link' | 'symlink' | 'directory' | 'block-device' | 'character-device' | 'fifo' | 'contiguous-file'
    linkname?: string | null
    uid?: number
    gid?: number
  }

  export interface Extract extends Writable {
    on(event: 'entry', listener: (headers: Headers, stream: Readable, next: (err?: Error) => void) => void): this
    on(event: 'finish' | 'close', listener: () => void): this
    on(event: 'error', listener: (err: Error) => void): this
    destroy(err?: Error): this
  }

  export interface Pack extends Readable {
    entry(headers: Headers, callback?: (err?: Error) => void): Writable
    entry(headers: Headers, buffer: Buffer | string, callback?: (err?: Error) => void): Writable
    finalize(): void
  }

  const tar: { extract(): Extract; pack(): Pack }
  export default tar
}
