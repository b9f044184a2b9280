/**
 * Remove after asking: which item is being asked about, whether the removal is running, and
 * the refusal to show in the dialog (the dialog stays open on a refusal, closes on success).
 * `dialog` is what ConfirmRemoveDialog.vue takes besides its title and body:
 * `<ConfirmRemoveDialog v-if="removing" :title="…" v-bind="removeDialog">`.
 */
import { reactive, ref, type Ref } from 'vue'
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

  const dialog = reactive({ busy: removeBusy, error: removeError, onConfirm: confirmRemove, onCancel: () => (removing.value = null) })

  return { removing, askRemove, dialog }
}
