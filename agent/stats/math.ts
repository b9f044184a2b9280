/** What one reading of a container holds, and the arithmetic that turns readings into a sample. */
import type { ContainerStats, StatsSource, StatsTotals } from '../../protocol/schema'

export interface StatsReading {
  /** When it was read, in milliseconds on a clock of its source (CPU % needs only differences). */
  atMs: number
  /** CPU time the container has used since it started, nanoseconds. */
  cpuUsageNs: number
  memoryBytes: number
  memoryLimitBytes: number
  networkRxBytes: number
  networkTxBytes: number
  blockReadBytes: number
  blockWriteBytes: number
  pids: number
  source: StatsSource
}

const NS_PER_MS = 1_000_000

/**
 * CPU use between two readings in percent of one CPU, as `docker stats` shows it (a container
 * spinning on two cores shows 200). Null without a usable earlier reading: none yet, another
 * source (its clock differs), or a counter that went back (the container restarted).
 */
export function cpuPercent(previous: StatsReading | undefined, next: StatsReading): number | null {
  if (!previous || previous.source !== next.source) return null
  const wallNs = (next.atMs - previous.atMs) * NS_PER_MS
  const usedNs = next.cpuUsageNs - previous.cpuUsageNs
  if (wallNs <= 0 || usedNs < 0) return null
  return (usedNs / wallNs) * 100
}

export function toContainerStats(id: string, name: string, reading: StatsReading, previous: StatsReading | undefined): ContainerStats {
  const { atMs: _at, cpuUsageNs: _cpu, ...figures } = reading
  return { id, name, cpuPercent: cpuPercent(previous, reading), ...figures }
}

export function sumTotals(containers: readonly ContainerStats[]): StatsTotals {
  const totals: StatsTotals = {
    cpuPercent: 0,
    memoryBytes: 0,
    networkRxBytes: 0,
    networkTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: 0,
  }
  for (const c of containers) {
    totals.cpuPercent += c.cpuPercent ?? 0
    totals.memoryBytes += c.memoryBytes
    totals.networkRxBytes += c.networkRxBytes
    totals.networkTxBytes += c.networkTxBytes
    totals.blockReadBytes += c.blockReadBytes
    totals.blockWriteBytes += c.blockWriteBytes
    totals.pids += c.pids
  }
  return totals
}
