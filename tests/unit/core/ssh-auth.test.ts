/** Which keyboard-interactive prompts get the login's password, and which are left unanswered. */
import { describe, expect, it } from 'vitest'
import { keyboardInteractiveAnswers } from '../../../main/core/ssh-auth'

describe('keyboard-interactive answers', () => {
  it('sends the password to the prompts that ask for it', () => {
    expect(keyboardInteractiveAnswers([{ prompt: 'Password: ', echo: false }], 'pw')).toEqual({ answers: ['pw'] })
    expect(keyboardInteractiveAnswers([{ prompt: "ada@pi's password:", echo: false }], 'pw')).toEqual({ answers: ['pw'] })
    // a round with only a message to show has nothing to answer
    expect(keyboardInteractiveAnswers([], 'pw')).toEqual({ answers: [] })
  })

  it('does not send the password to a one-time code or a question, and says what was asked', () => {
    expect(keyboardInteractiveAnswers([{ prompt: 'Verification code: ', echo: false }], 'pw')).toEqual({ unanswered: 'Verification code:' })
    expect(keyboardInteractiveAnswers([{ prompt: 'Password: ' }, { prompt: 'OTP: ' }], 'pw')).toEqual({ unanswered: 'OTP:' })
    // a prompt that echoes what is typed is never a password prompt
    expect(keyboardInteractiveAnswers([{ prompt: 'Password hint (shown): ', echo: true }], 'pw')).toEqual({ unanswered: 'Password hint (shown):' })
  })
})
