/**
 * Where stores get the api from. Stores call `useApi()` instead of importing `api` directly
 * so tests can hand in a fake with `provideApi` before creating the stores, and so no test
 * opens a real WebSocket by accident.
 */
import { api, type BerthClient } from './client'

let current: BerthClient = api

export function useApi(): BerthClient {
  return current
}

/** Replaces the api for stores created from now on; returns a function that restores the previous one. */
export function provideApi(next: BerthClient): () => void {
  const previous = current
  current = next
  return () => {
    current = previous
  }
}
