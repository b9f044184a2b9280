/** Two connected in-memory duplexes: what one writes, the other reads. For tests. */
import { Duplex } from 'node:stream'

export function memoryPipe(): [Duplex, Duplex] {
  const sides: { a?: Duplex; b?: Duplex } = {}
  const make = (other: () => Duplex | undefined): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        other()?.push(chunk)
        done()
      },
      final(done) {
        other()?.push(null)
        done()
      },
      destroy(err, done) {
        const peer = other()
        if (peer && !peer.destroyed) peer.destroy()
        done(err)
      },
    })
  const a = make(() => sides.b)
  const b = make(() => sides.a)
  sides.a = a
  sides.b = b
  return [a, b]
}
