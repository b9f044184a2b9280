/**
 * One transfer started from a dialog (a save, a load, an import, a copy, an export): its progress
 * while it runs, and how it ended, in the words the dialog shows.
 */
import { computed, ref } from 'vue'
import { type Outcome } from '../../api/outcome'
import { useAction } from '../../ui/use-action'
import { useTransfersStore } from './transfers-store'

export function useTransfer() {
  const transfers = useTransfersStore()
  const transferId = ref<string | null>(null)
  const done = ref('')
  const progress = computed(() => (transferId.value ? transfers.progress[transferId.value] : undefined))

  /** Runs `work` under a new transfer id; its value is the line shown when it is done. */
  const { error: failure, run } = useAction(
    async (work: (transferId: string) => Promise<Outcome<string>>): Promise<Outcome<string>> => {
      done.value = ''
      const outcome = await work((transferId.value = transfers.start()))
      transferId.value = null
      return outcome
    },
    (line) => (done.value = line),
  )

  return { transfers, transferId, failure, done, progress, run }
}
