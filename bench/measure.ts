/** What every benchmark measures with: times, percentiles, a process's resident memory. */
import { readFileSync } from 'node:fs'

/** Resident memory of a process in MB, from /proc/<pid>/status VmRSS. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024
}

/** The highest RSS of `pid` seen while `work` runs, sampled every `sampleMs`. */
export async function peakRssMb<T>(pid: number, work: () => Promise<T>, sampleMs = 100): Promise<{ peak: number; result: T }> {
  let peak = rssMb(pid)
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), sampleMs)
  try {
    const result = await work()
    return { peak: Math.max(peak, rssMb(pid)), result }
  } finally {
    clearInterval(timer)
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The value at percentile p (0-100) of xs. */
export const percentile = (xs: readonly number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN

/** How long `work` takes, in ms. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}
