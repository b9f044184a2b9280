/**
 * The login's conversation with the server once the keys are offered, as `ssh` holds it:
 * keyboard-interactive, then password. A prompt that asks for the password gets the one the
 * user gave; anything else the server asks (a one-time code, a question) is put to the user,
 * mid-login, when there is someone to ask, and is never sent the password.
 */
import { BerthError } from '../../../protocol/errors'
import type { AuthAttempt } from './auth'

/** A keyboard-interactive prompt as the server sends it. */
export interface KbdPrompt {
  prompt: string
  echo?: boolean
}

/** One keyboard-interactive round: the server's name and instructions, and its prompts. */
export interface KbdRound {
  /** The login that asks, user@address:port: a jump host's own when it is the one asking. */
  target: string
  name: string
  instructions: string
  prompts: Array<{ prompt: string; echo: boolean }>
}

/** Puts prompts to the user; resolves with one answer per prompt, rejects when they cancel. */
export type AskUser = (round: KbdRound) => Promise<string[]>

/** What PAM and sshd ask a password with: "Password: ", "user@host's password: ". */
const PASSWORD_PROMPT = /pass(word|phrase)/i

/** A prompt the login's password answers: one that asks for it and does not echo. */
export const asksPassword = (p: KbdPrompt): boolean => p.echo !== true && PASSWORD_PROMPT.test(p.prompt)

export interface LoginOptions {
  user: string
  /** user@address:port, shown with the server's questions. */
  target: string
  attempts: AuthAttempt[]
  /** The password the user gave for this target, if any. */
  password: string | undefined
  ask?: AskUser
  /** Told while the user is being asked: the handshake's own time limit stops meanwhile. */
  waiting?: (waiting: boolean) => void
  /**
   * Ends the connection when Berth cannot or will not answer, as Ctrl-C at ssh's prompt does:
   * no answer is sent (a blank one would be a failed login in the server's log). Without it,
   * blanks are sent, one per prompt (sshd drops a reply of the wrong length).
   */
  giveUp?: () => void
}

type KbdFinish = (answers: string[]) => void
type Next = (method: unknown) => void

/** How the login went, for the message when it fails. */
export class LoginState {
  readonly tried: string[] = []
  passwordWanted = false
  passwordTried = false
  /** A prompt that was not a password prompt, with no one to ask it. */
  unanswered: string | undefined
  /** The user answered the server's prompts (a refusal may be of those answers, not the password). */
  answered = false
  cancelled = false
  /** Berth ended the login itself (giveUp): the connection's close is this failure. */
  gaveUp = false

  failure(where: string, skipped: string[], locked: string[]): BerthError {
    const parts = [this.tried.length ? `tried ${this.tried.join(', ')}` : 'no usable key or agent was found']
    if (skipped.length) parts.push(`skipped ${skipped.join(', ')}`)
    if (this.unanswered) parts.push(`the server asked "${this.unanswered}", which Berth can only answer with a password`)
    if (this.cancelled) parts.push('the server\'s question was cancelled')
    else if (this.answered) parts.push('the server refused the answers given (a one-time code may have expired: connect again)')
    const { tried } = this
    const detail = locked[0]
      ? { tried, skipped, needsPassphrase: locked[0] }
      : this.passwordWanted
        ? { tried, skipped, needsPassword: true }
        : this.cancelled
          ? { tried, skipped, cancelled: true }
          : { tried, skipped, passwordRefused: this.passwordTried && !this.unanswered && !this.answered }
    return new BerthError('AUTH_FAILED', `${where} refused authentication: ${parts.join('; ')}`, detail)
  }
}

/** ssh2's authHandler for one connection, and the state its failure is described from. */
export function loginHandler(options: LoginOptions): { state: LoginState; handler: (left: string[] | null, partial: boolean | null, next: Next) => void } {
  const state = new LoginState()
  const { user, attempts, password } = options
  let kbdTried = false

  const giveUp = (prompts: KbdPrompt[], finish: KbdFinish): void => {
    state.gaveUp = true
    if (options.giveUp) options.giveUp()
    else finish(prompts.map(() => ''))
  }

  const respond = (name: string, instructions: string, _lang: string, prompts: KbdPrompt[], finish: KbdFinish): void => {
    // a round with only a message to show has nothing to answer
    if (prompts.length === 0) return finish([])
    if (password === undefined && prompts.some(asksPassword)) {
      state.passwordWanted = true
      return giveUp(prompts, finish)
    }
    const others = prompts.filter((p) => !asksPassword(p))
    if (others.length === 0) return finish(prompts.map(() => password!))
    if (!options.ask) {
      state.unanswered = others[0]!.prompt.trim()
      return giveUp(prompts, finish)
    }
    options.waiting?.(true)
    options.ask({ target: options.target, name, instructions, prompts: others.map((p) => ({ prompt: p.prompt, echo: p.echo === true })) }).then(
      (answers) => {
        options.waiting?.(false)
        state.answered = true
        let i = 0
        finish(prompts.map((p) => (asksPassword(p) ? password! : (answers[i++] ?? ''))))
      },
      () => {
        options.waiting?.(false)
        state.cancelled = true
        giveUp(prompts, finish)
      },
    )
  }

  const handler = (left: string[] | null, partial: boolean | null, next: Next): void => {
    const attempt = attempts.shift()
    if (attempt) {
      state.tried.push(attempt.label)
      return next(attempt.method)
    }
    // nothing to offer yet: ask the server which methods it takes
    if (left === null) return next({ type: 'none', username: user })
    const kbd = left.includes('keyboard-interactive')
    // keyboard-interactive is tried with the password, or without one once a key was accepted
    // and the server wants a second factor (AuthenticationMethods publickey,keyboard-interactive)
    if (kbd && !kbdTried && !state.cancelled && (password !== undefined || (partial === true && options.ask))) {
      kbdTried = true
      state.passwordTried ||= password !== undefined
      state.tried.push('keyboard-interactive')
      return next({ type: 'keyboard-interactive', username: user, prompt: respond })
    }
    if (password === undefined) {
      if (kbd || left.includes('password')) state.passwordWanted = true
      return next(false)
    }
    if (state.passwordTried || !left.includes('password')) return next(false)
    state.passwordTried = true
    state.tried.push('password')
    next({ type: 'password', username: user, password })
  }
  return { state, handler }
}
