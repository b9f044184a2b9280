/**
 * One transfer started from a dialog (a save, a load, an import, an export): its progress while
 * it runs, and how it ended, in the words the dialog shows.
 */
import { computed, ref } from 'vue'
import type { ErrorView } from '../../api/api-error'
import type { Outcome } from '../../api/outcome'
import { useTransfersStore } from './transfers-store'

export function useTransfer() {
  const transfers = useTransfersStore()
  const transferId = ref<string | null>(null)
  const failure = ref<ErrorView | null>(null)
  const done = ref('')
  const progress = computed(() => (transferId.value ? transfers.progress[transferId.value] : undefined))

  /** Runs `work` under a new transfer id; its value is the line shown when it is done. */
  async function run(work: (transferId: string) => Promise<Outcome<string>>): Promise<void> {
    if (transferId.value) return
    failure.value = null
    done.value = ''
    const outcome = await work((transferId.value = transfers.start()))
    transferId.value = null
    if (outcome.ok) done.value = outcome.value
    else failure.value = outcome.error
  }

  return { transfers, transferId, failure, done, progress, run }
}
