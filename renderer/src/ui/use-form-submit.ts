/**
 * The submit of a small form whose store call answers with an error view instead of
 * throwing: validate here first (nothing is sent when a field is wrong), then send, show the
 * engine's refusal in the form, or say done.
 */
import { ref } from 'vue'
import type { ErrorView } from '../api/api-error'

export function useFormSubmit<P>(validate: () => P | null, send: (params: P) => Promise<ErrorView | null | undefined>, done: () => void) {
  const serverError = ref<string | null>(null)
  const submitting = ref(false)
  async function submit(): Promise<void> {
    serverError.value = null
    const params = validate()
    if (!params) return
    submitting.value = true
    const error = await send(params)
    submitting.value = false
    if (error) serverError.value = error.message
    else done()
  }
  return { serverError, submitting, submit }
}
