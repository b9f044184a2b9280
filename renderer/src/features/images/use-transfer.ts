/**
 * One transfer started from a dialog (a save, a load, an import, an export): its progress while
 * it runs, and how it ended, in the words the dialog shows.
 */
import { computed, ref } from 'vue'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useTransfersStore } from './transfers-store'

export function useTransfer() {
  const transfers = useTransfersStore()
  const transferId = ref<string | null>(null)
  const failure = ref<ErrorView | null>(null)
  const done = ref('')
  const progress = computed(() => (transferId.value ? transfers.progress[transferId.value] : undefined))

  /** Runs `work` under a new transfer id; what it returns is the line shown when it is done. */
  async function run(work: (transferId: string) => Promise<string>): Promise<void> {
    if (transferId.value) return
    failure.value = null
    done.value = ''
    const id = (transferId.value = transfers.start())
    try {
      done.value = await work(id)
    } catch (err) {
      failure.value = toErrorView(err)
    } finally {
      transferId.value = null
    }
  }

  return { transfers, transferId, failure, done, progress, run }
}
