/**
 * Keystrokes and pastes on their way to a terminal, in order. A paste longer than
 * MAX_INPUT_CHARS goes in several calls, never cut inside a UTF-16 surrogate pair (an emoji
 * stays whole).
 */
import { MAX_INPUT_CHARS } from '../../../../protocol/schema'

/** Splits `data` into pieces of at most `max` UTF-16 units, never between a surrogate pair. */
export function splitInput(data: string, max = MAX_INPUT_CHARS): string[] {
  const pieces: string[] = []
  let start = 0
  while (start < data.length) {
    let end = Math.min(start + max, data.length)
    const last = data.charCodeAt(end - 1)
    // a high surrogate at the cut belongs with the low one after it
    if (end < data.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end -= 1
    pieces.push(data.slice(start, end))
    start = end
  }
  return pieces
}

export class InputSender {
  private failed = false

  /** `send` delivers one piece; `onError` hears the first failure (later ones say the same). */
  constructor(
    private readonly send: (data: string) => Promise<unknown>,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /**
   * Sends at once rather than after the previous answer: main forwards input in the order it
   * arrives, and waiting for each answer would put a flood's backlog between two keystrokes.
   */
  push(data: string): void {
    for (const piece of splitInput(data)) {
      this.send(piece).then(
        () => (this.failed = false),
        (err: unknown) => {
          if (!this.failed) this.onError(err)
          this.failed = true
        },
      )
    }
  }
}
