/**
 * How every store action that can fail reports it: a value, or the error to show. Actions never
 * throw to their callers, so a component cannot forget a catch (an unhandled rejection shows the
 * user nothing), and a refusal arrives as plain data a form or dialog shows in place.
 * Lists fetched per host keep their own status instead (api/use-host-list.ts).
 */
import { toErrorView, type ErrorView } from './api-error'

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; error: ErrorView }

export const done: Outcome = { ok: true, value: undefined }

/** Runs an api call (or several) and catches what it throws as the outcome's error. */
export async function outcomeOf<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (err) {
    return { ok: false, error: toErrorView(err) }
  }
}

export function failed(code: string, message: string): Outcome<never> {
  return { ok: false, error: { code, message } }
}

/** The same outcome with its value turned into another (e.g. the line a dialog shows). */
export function mapOutcome<T, U>(outcome: Outcome<T>, map: (value: T) => U): Outcome<U> {
  return outcome.ok ? { ok: true, value: map(outcome.value) } : outcome
}
