/** Stats samples for renderer tests, shaped as the agent sends them. */
import type { ContainerStats, StatsSample } from '../../protocol/schema'

export function stat(id: string, overrides: Partial<ContainerStats> = {}): ContainerStats {
  return {
    id,
    name: id,
    cpuPercent: 1,
    memoryBytes: 1024,
    memoryLimitBytes: 4096,
    networkRxBytes: 0,
    networkTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: 1,
    source: 'cgroup',
    ...overrides,
  }
}

export function sample(at: number, containers: ContainerStats[]): StatsSample {
  const sum = (k: 'memoryBytes' | 'pids' | 'networkRxBytes') => containers.reduce((n, c) => n + c[k], 0)
  return {
    at,
    intervalMs: 2000,
    containers,
    totals: {
      cpuPercent: containers.reduce((n, c) => n + (c.cpuPercent ?? 0), 0),
      memoryBytes: sum('memoryBytes'),
      networkRxBytes: sum('networkRxBytes'),
      networkTxBytes: 0,
      blockReadBytes: 0,
      blockWriteBytes: 0,
      pids: sum('pids'),
    },
  }
}
