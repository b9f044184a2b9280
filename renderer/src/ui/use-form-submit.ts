/**
 * The submit of a small form whose store call answers with an outcome: validate here first
 * (nothing is sent when a field is wrong), then send, show the engine's refusal in the form,
 * or say done.
 */
import { ref } from 'vue'
import type { Outcome } from '../api/outcome'

export function useFormSubmit<P>(validate: () => P | null, send: (params: P) => Promise<Outcome<unknown>>, done: () => void) {
  const serverError = ref<string | null>(null)
  const submitting = ref(false)
  async function submit(): Promise<void> {
    serverError.value = null
    const params = validate()
    if (!params) return
    submitting.value = true
    const outcome = await send(params)
    submitting.value = false
    if (outcome.ok) done()
    else serverError.value = outcome.error.message
  }
  return { serverError, submitting, submit }
}
