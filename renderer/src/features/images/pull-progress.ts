/** How far a pull has come, from the engine's per-layer progress. */
import type { PullLayer } from '../../../../protocol/schema'
import type { PullState } from './images-store'

const finished = new Set(['Pull complete', 'Already exists'])
const downloaded = new Set(['Download complete', 'Verifying Checksum'])

/** 0..1 for one layer: downloading is the first half, extracting the second. */
export function layerFraction(layer: PullLayer): number {
  if (finished.has(layer.status)) return 1
  if (downloaded.has(layer.status)) return 0.5
  const part = layer.total ? Math.min(1, (layer.current ?? 0) / layer.total) : 0
  if (layer.status === 'Downloading') return part / 2
  if (layer.status === 'Extracting') return 0.5 + part / 2
  return 0
}

export function pullFraction(state: Pick<PullState, 'layers' | 'done' | 'error'>): number {
  if (state.done && !state.error) return 1
  if (state.layers.length === 0) return 0
  return state.layers.reduce((sum, l) => sum + layerFraction(l), 0) / state.layers.length
}
