/** Stats as `docker stats` prints them, so the figures read the same in Berth and in a terminal. */
import type { ContainerStats } from '../../../../protocol/schema'
import { formatBytes } from '../../ui/units'

/** "12.34%" like docker stats; a dash before the second reading gives a CPU figure. */
export function cpuText(percent: number | null | undefined): string {
  return percent === null || percent === undefined ? '–' : `${percent.toFixed(2)}%`
}

/** "468 KiB / 23.5 GiB", docker stats' MEM USAGE / LIMIT. */
export function memoryText(stats: Pick<ContainerStats, 'memoryBytes' | 'memoryLimitBytes'>): string {
  return `${formatBytes(stats.memoryBytes)} / ${formatBytes(stats.memoryLimitBytes)}`
}

/** "1.2 KiB / 600 B", docker stats' received / sent (NET I/O) and read / written (BLOCK I/O). */
export function ioText(first: number, second: number): string {
  return `${formatBytes(first)} / ${formatBytes(second)}`
}
