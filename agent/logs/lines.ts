/**
 * Turns the engine's log bytes into lines. Without a TTY the engine multiplexes stdout and
 * stderr in frames (an 8-byte header: stream byte, 3 zero bytes, big-endian payload length);
 * with a TTY the log is one raw stream. Lines are cut only at '\n' bytes, which never occur
 * inside a multi-byte UTF-8 character, and an over-long line is split at a character boundary.
 */
import type { LogLine } from '../../protocol/schema'

const FRAME_HEADER_BYTES = 8
/** A line longer than this is passed on in pieces, so one endless line cannot grow memory. */
export const MAX_LINE_BYTES = 64 * 1024
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\S+) ?/

type StreamName = LogLine['stream']

/** The largest length <= max that does not end inside a UTF-8 character of buf. */
export function utf8SafeLength(buf: Buffer, max: number): number {
  if (buf.length <= max) return buf.length
  let end = max
  // step back over continuation bytes (10xxxxxx) to the start of the cut character
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--
  return end
}

/** Splits one stream's bytes into lines, keeping a partial last line for the next chunk. */
class LineSplitter {
  private rest: Buffer = Buffer.alloc(0)

  constructor(
    private readonly stream: StreamName,
    private readonly timestamps: boolean,
    private readonly emit: (line: LogLine) => void,
  ) {}

  push(chunk: Buffer): void {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk
    let nl: number
    while ((nl = buf.indexOf(0x0a)) !== -1) {
      this.line(buf.subarray(0, nl))
      buf = buf.subarray(nl + 1)
    }
    while (buf.length > MAX_LINE_BYTES) {
      const cut = utf8SafeLength(buf, MAX_LINE_BYTES)
      this.line(buf.subarray(0, cut))
      buf = buf.subarray(cut)
    }
    this.rest = Buffer.from(buf)
  }

  end(): void {
    if (this.rest.length) this.line(this.rest)
    this.rest = Buffer.alloc(0)
  }

  private line(bytes: Buffer): void {
    // a TTY ends lines with \r\n
    let text = bytes.toString('utf8')
    if (text.endsWith('\r')) text = text.slice(0, -1)
    if (!this.timestamps) return this.emit({ stream: this.stream, text })
    const m = TIMESTAMP.exec(text)
    if (!m) return this.emit({ stream: this.stream, text })
    this.emit({ stream: this.stream, time: m[1]!, text: text.slice(m[0].length) })
  }
}

/** Feeds engine log bytes in any chunking; calls emit once per complete line. */
export class LogDecoder {
  private readonly out: LineSplitter
  private readonly err: LineSplitter
  private pending: Buffer = Buffer.alloc(0)

  constructor(
    private readonly tty: boolean,
    timestamps: boolean,
    emit: (line: LogLine) => void,
  ) {
    this.out = new LineSplitter('stdout', timestamps, emit)
    this.err = new LineSplitter('stderr', timestamps, emit)
  }

  push(chunk: Buffer): void {
    if (this.tty) return this.out.push(chunk)
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk
    while (buf.length >= FRAME_HEADER_BYTES) {
      const size = buf.readUInt32BE(4)
      if (buf.length < FRAME_HEADER_BYTES + size) break
      const payload = buf.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + size)
      // 1 is stdout, 2 stderr; 0 (stdin) is never logged but reads as stdout
      ;(buf[0] === 2 ? this.err : this.out).push(payload)
      buf = buf.subarray(FRAME_HEADER_BYTES + size)
    }
    this.pending = Buffer.from(buf)
  }

  end(): void {
    this.out.end()
    this.err.end()
  }
}

/** Bytes a line costs on the wire, near enough for caps. */
export function lineBytes(line: LogLine): number {
  return Buffer.byteLength(line.text) + (line.time?.length ?? 0) + 16
}
