// tar-fs ships no types and @types/tar-fs would pull @types/tar-stream in beside the agent's
// own declaration of it; this declares the one function the build context uses.
declare module 'tar-fs' {
  import type { Readable } from 'node:stream'
  export function pack(cwd: string, options?: { ignore?: (name: string) => boolean; dereference?: boolean }): Readable
}
