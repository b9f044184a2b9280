/**
 * Remove after asking: which item is being asked about, whether the removal is running, and
 * the refusal to show in the dialog (the dialog stays open on a refusal, closes on success).
 * Goes with ConfirmRemoveDialog.vue.
 */
import { ref, type Ref } from 'vue'
import type { Outcome } from '../api/outcome'
import { useAction } from './use-action'

export function useConfirmRemove<T>(remove: (item: T) => Promise<Outcome<unknown>>) {
  const removing = ref(null) as Ref<T | null>
  const { busy: removeBusy, error: removeError, run, clear } = useAction(remove, () => (removing.value = null))

  function askRemove(item: T): void {
    clear()
    removing.value = item
  }

  async function confirmRemove(): Promise<void> {
    if (removing.value) await run(removing.value)
  }

  return { removing, removeError, removeBusy, askRemove, confirmRemove }
}
