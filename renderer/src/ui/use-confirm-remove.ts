/**
 * Remove after asking: which item is being asked about, whether the removal is running, and
 * the refusal to show in the dialog (the dialog stays open on a refusal, closes on success).
 */
import { ref, type Ref } from 'vue'
import type { ErrorView } from '../api/api-error'
import type { Outcome } from '../api/outcome'

export function useConfirmRemove<T>(remove: (item: T) => Promise<Outcome<unknown>>) {
  const removing = ref(null) as Ref<T | null>
  const removeError = ref<ErrorView | null>(null)
  const removeBusy = ref(false)

  function askRemove(item: T): void {
    removeError.value = null
    removing.value = item
  }

  async function confirmRemove(): Promise<void> {
    if (!removing.value) return
    removeBusy.value = true
    const outcome = await remove(removing.value)
    removeError.value = outcome.ok ? null : outcome.error
    removeBusy.value = false
    if (!removeError.value) removing.value = null
  }

  return { removing, removeError, removeBusy, askRemove, confirmRemove }
}
