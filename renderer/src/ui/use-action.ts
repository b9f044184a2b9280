/**
 * The busy and error state of what a form or dialog asks a store to do: the one place it is
 * kept. Store actions answer with an Outcome (api/outcome.ts); `run` says busy while one is
 * under way, keeps its error to show in place, and hands a success to `done`. A second run while
 * one is under way is ignored (a double click sends nothing twice), unless `overlap` allows
 * several at once (downloads, per-row buttons): then busy holds while any of them runs.
 */
import { computed, ref } from 'vue'
import type { ErrorView } from '../api/api-error'
import type { Outcome } from '../api/outcome'

export function useAction<A extends unknown[], T>(
  action: (...args: A) => Promise<Outcome<T>>,
  done?: (value: T) => void,
  options: { overlap?: boolean } = {},
) {
  const running = ref(0)
  const busy = computed(() => running.value > 0)
  const error = ref<ErrorView | null>(null)

  /** Resolves to the outcome, or to undefined when it did not run (one was already under way). */
  async function run(...args: A): Promise<Outcome<T> | undefined> {
    if (busy.value && !options.overlap) return undefined
    running.value += 1
    error.value = null
    const outcome = await action(...args)
    running.value -= 1
    if (outcome.ok) done?.(outcome.value)
    else error.value = outcome.error
    return outcome
  }

  function clear(): void {
    error.value = null
  }

  return { busy, error, run, clear }
}

/** A form's submit: its fields are checked here first, and nothing is sent while one is wrong. */
export function useFormSubmit<P, T>(validate: () => P | null, send: (params: P) => Promise<Outcome<T>>, done: (value: T) => void) {
  const action = useAction(send, done)
  async function submit(): Promise<void> {
    action.clear()
    const params = validate()
    if (params !== null) await action.run(params)
  }
  return { ...action, submit }
}
