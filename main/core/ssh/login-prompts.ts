/**
 * What the server asks mid-login that only the user can answer (a one-time code, a question):
 * held here, shown on the host as pendingPrompt, until the window answers or the user gives up.
 * The SSH login waits meanwhile, its own time limit stopped; the server's (sshd's
 * LoginGraceTime) still runs.
 */
import { BerthError } from '../../../protocol/errors'
import type { AskUser, KbdRound } from './login'

interface Waiting {
  round: KbdRound
  resolve: (answers: string[]) => void
  reject: (err: Error) => void
}

export class LoginPrompts {
  private waiting: Waiting | undefined

  /** @param show called with the round to show, and with undefined when it is no longer asked */
  constructor(
    private readonly hostName: () => string,
    private readonly show: (round: KbdRound | undefined) => void,
  ) {}

  readonly ask: AskUser = (round) =>
    new Promise<string[]>((resolve, reject) => {
      this.cancel()
      this.waiting = { round, resolve, reject }
      this.show(round)
    })

  answer(answers: string[]): void {
    const waiting = this.waiting
    if (!waiting) throw new BerthError('CONFLICT', `${this.hostName()} is not asking anything now: connect again`)
    const asked = waiting.round.prompts.length
    if (answers.length !== asked) {
      throw new BerthError('INVALID_INPUT', `${this.hostName()} asked ${asked} question${asked === 1 ? '' : 's'}; ${answers.length} answer${answers.length === 1 ? ' was' : 's were'} given`)
    }
    this.waiting = undefined
    this.show(undefined)
    waiting.resolve(answers)
  }

  /** The user gave up (disconnect): the login ends, refused. */
  cancel(): void {
    const waiting = this.waiting
    if (!waiting) return
    this.waiting = undefined
    this.show(undefined)
    waiting.reject(new Error('cancelled by the user'))
  }
}
