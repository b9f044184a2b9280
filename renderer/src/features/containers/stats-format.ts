/** Stats as `docker stats` prints them, so the figures read the same in Berth and in a terminal. */
import type { ContainerStats } from '../../../../protocol/schema'
import { humanSize } from '../../ui/units'

/** "12.34%" like docker stats; a dash before the second reading gives a CPU figure. */
export function cpuText(percent: number | null | undefined): string {
  return percent === null || percent === undefined ? '–' : `${percent.toFixed(2)}%`
}

/** "479.2kB / 25.23GB": docker stats' MEM USAGE / LIMIT, in the decimal units Berth writes every size in. */
export function memoryText(stats: Pick<ContainerStats, 'memoryBytes' | 'memoryLimitBytes'>): string {
  return `${humanSize(stats.memoryBytes)} / ${humanSize(stats.memoryLimitBytes)}`
}

/** "1.2kB / 600B", docker stats' received / sent (NET I/O) and read / written (BLOCK I/O). */
export function ioText(first: number, second: number): string {
  return `${humanSize(first)} / ${humanSize(second)}`
}
