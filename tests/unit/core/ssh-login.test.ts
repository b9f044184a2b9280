/**
 * The login after the keys: which keyboard-interactive prompts get the password, which are put
 * to the user (and never sent the password), and what a failure says. ssh2's side is played
 * here: the handler is called as ssh2 calls it, and the prompt callback as a server's round.
 */
import { describe, expect, it } from 'vitest'
import { type AskUser, type KbdPrompt, type KbdRound, loginHandler, type LoginOptions } from '../../../main/core/ssh/login'

type Respond = (name: string, instructions: string, lang: string, prompts: KbdPrompt[], finish: (answers: string[]) => void) => void

/** Runs the handler until it offers keyboard-interactive; returns what it offered. */
function start(options: Partial<LoginOptions>, left = ['keyboard-interactive'], partial = false) {
  const login = loginHandler({ user: 'ada', target: 'ada@pi:22', attempts: [], password: undefined, ...options })
  let offered: { type?: string; prompt?: Respond } | false = false
  login.handler(left, partial, (m) => (offered = m as typeof offered))
  return { login, offered: offered as { type?: string; prompt?: Respond } | false }
}

/** One server round: the answers the handler sends back. */
function round(respond: Respond, prompts: KbdPrompt[], name = '', instructions = ''): Promise<string[]> {
  return new Promise((resolve) => respond(name, instructions, '', prompts, resolve))
}

const PASSWORD = { prompt: 'Password: ', echo: false }
const CODE = { prompt: 'Verification code: ', echo: false }

describe('the login after the keys', () => {
  it('answers password prompts with the password given', async () => {
    const { offered } = start({ password: 'pw' })
    if (!offered) throw new Error('keyboard-interactive was not tried')
    expect(offered.type).toBe('keyboard-interactive')
    expect(await round(offered.prompt!, [PASSWORD])).toEqual(['pw'])
    expect(await round(offered.prompt!, [{ prompt: "ada@pi's password:", echo: false }])).toEqual(['pw'])
    // a round with only a message to show has nothing to answer
    expect(await round(offered.prompt!, [])).toEqual([])
  })

  it('with no one to ask, sends nothing to a one-time code and says what the server asked', async () => {
    const { login, offered } = start({ password: 'pw' })
    // blanks, one per prompt: sshd drops a reply of the wrong length
    expect(await round((offered as { prompt: Respond }).prompt, [PASSWORD, { prompt: 'OTP: ' }])).toEqual(['', ''])
    const failure = login.state.failure('ada@pi:22', [], [])
    expect(failure.message).toContain('the server asked "OTP:"')
    expect(failure.detail).toMatchObject({ passwordRefused: false })
  })

  it('puts the other prompts to the user, mid-login, and never the password prompt', async () => {
    const asked: KbdRound[] = []
    const waits: boolean[] = []
    const ask: AskUser = async (r) => {
      asked.push(r)
      return ['123456']
    }
    const { login, offered } = start({ password: 'pw', ask, waiting: (w) => waits.push(w) })
    const respond = (offered as { prompt: Respond }).prompt
    // both in one round: the password filled in by Berth, the code by the user
    expect(await round(respond, [PASSWORD, CODE], 'PAM', 'Two steps')).toEqual(['pw', '123456'])
    expect(asked).toEqual([{ target: 'ada@pi:22', name: 'PAM', instructions: 'Two steps', prompts: [{ prompt: 'Verification code: ', echo: false }] }])
    // the handshake's time limit stops while the user is asked, and starts again after
    expect(waits).toEqual([true, false])
    // a prompt that shows what is typed is a question, not a password prompt
    expect(await round(respond, [{ prompt: 'Password hint (shown): ', echo: true }])).toEqual(['123456'])
    expect(asked[1]!.prompts).toEqual([{ prompt: 'Password hint (shown): ', echo: true }])
    // refused after the user answered: the answers may be wrong, not the password
    const failure = login.state.failure('ada@pi:22', [], [])
    expect(failure.detail).toMatchObject({ passwordRefused: false })
    expect(failure.message).toContain('refused the answers given')
  })

  it('says the question was cancelled when the user gives up, and answers nothing', async () => {
    const { login, offered } = start({ password: 'pw', ask: () => Promise.reject(new Error('cancelled')) })
    expect(await round((offered as { prompt: Respond }).prompt, [CODE])).toEqual([''])
    const failure = login.state.failure('ada@pi:22', [], [])
    expect(failure.message).toContain("the server's question was cancelled")
    // a cancel is the user's own doing: the password is not blamed (and not forgotten)
    expect(failure.detail).toMatchObject({ cancelled: true })
    expect(failure.detail).not.toHaveProperty('passwordRefused')
    // not tried again within the same login
    let again: unknown
    login.handler(['keyboard-interactive'], false, (m) => (again = m))
    expect(again).toBe(false)
  })

  it('asks the window for the password when a prompt wants one Berth does not have', async () => {
    const { login, offered } = start({ ask: async () => ['never'] }, ['keyboard-interactive'], true)
    expect(await round((offered as { prompt: Respond }).prompt, [PASSWORD])).toEqual([''])
    expect(login.state.failure('ada@pi:22', [], []).detail).toMatchObject({ needsPassword: true })
  })

  it('tries keyboard-interactive without a password only as a second factor after a key, and only with someone to ask', () => {
    expect(start({ ask: async () => [] }, ['keyboard-interactive'], true).offered).toMatchObject({ type: 'keyboard-interactive' })
    // no key accepted yet: the window is asked for a password first, as before
    const first = start({ ask: async () => [] }, ['keyboard-interactive', 'password'], false)
    expect(first.offered).toBe(false)
    expect(first.login.state.failure('ada@pi:22', [], []).detail).toMatchObject({ needsPassword: true })
    expect(start({}, ['keyboard-interactive'], true).offered).toBe(false)
  })

  it('ends the connection rather than send blanks when it can give up', () => {
    let ended = 0
    const { login, offered } = start({ password: 'pw', giveUp: () => ended++ })
    let answered = false
    ;(offered as { prompt: Respond }).prompt('', '', '', [CODE], () => (answered = true))
    expect({ ended, answered, gaveUp: login.state.gaveUp }).toEqual({ ended: 1, answered: false, gaveUp: true })
    expect(login.state.failure('ada@pi:22', [], []).message).toContain('the server asked "Verification code:"')
  })

  it('falls back to the password method when keyboard-interactive is not offered', () => {
    const { login, offered } = start({ password: 'pw' }, ['password', 'publickey'])
    expect(offered).toEqual({ type: 'password', username: 'ada', password: 'pw' })
    expect(login.state.tried).toEqual(['password'])
    expect(login.state.failure('ada@pi:22', [], []).detail).toMatchObject({ passwordRefused: true })
  })
})
