import { describe, expect, it } from 'vitest'
import { readingFromEngine } from '../../agent/stats/engine'
import { cpuPercent, type StatsReading, sumTotals, toContainerStats } from '../../agent/stats/math'

const reading = (atMs: number, cpuUsageNs: number, source: StatsReading['source'] = 'cgroup'): StatsReading => ({
  atMs,
  cpuUsageNs,
  memoryBytes: 1000,
  memoryLimitBytes: 4000,
  networkRxBytes: 1,
  networkTxBytes: 2,
  blockReadBytes: 3,
  blockWriteBytes: 4,
  pids: 1,
  source,
})

describe('CPU %', () => {
  it('is CPU time used over wall time, 100 for one full core', () => {
    expect(cpuPercent(reading(0, 0), reading(2000, 2_000_000_000))).toBeCloseTo(100)
    expect(cpuPercent(reading(0, 0), reading(2000, 4_000_000_000))).toBeCloseTo(200) // two cores
    expect(cpuPercent(reading(1000, 5_000_000), reading(3000, 15_000_000))).toBeCloseTo(0.5)
  })

  it('is unknown without a comparable earlier reading', () => {
    expect(cpuPercent(undefined, reading(2000, 1))).toBeNull()
    expect(cpuPercent(reading(0, 0, 'engine'), reading(2000, 1, 'cgroup'))).toBeNull() // other clock
    expect(cpuPercent(reading(0, 900), reading(2000, 10))).toBeNull() // counter reset: a restart
    expect(cpuPercent(reading(2000, 0), reading(2000, 10))).toBeNull()
  })

  it('totals sum every container, an unknown CPU counting as nothing', () => {
    const a = toContainerStats('a', 'a', reading(2000, 1_000_000_000), reading(0, 0))
    const b = toContainerStats('b', 'b', reading(2000, 10), undefined)
    expect(a).toMatchObject({ id: 'a', cpuPercent: 50, memoryBytes: 1000, source: 'cgroup' })
    expect(a).not.toHaveProperty('atMs')
    expect(sumTotals([a, b])).toEqual({
      cpuPercent: 50,
      memoryBytes: 2000,
      networkRxBytes: 2,
      networkTxBytes: 4,
      blockReadBytes: 6,
      blockWriteBytes: 8,
      pids: 2,
    })
  })
})

describe('the engine fallback', () => {
  it('reads a one-shot answer as docker stats would (cgroup v1 shape)', () => {
    const r = readingFromEngine({
      read: '2026-11-27T23:38:53.272742229Z',
      cpu_stats: { cpu_usage: { total_usage: 107596660 } },
      memory_stats: { usage: 479232, limit: 25276026880, stats: { total_inactive_file: 4096, inactive_file: 1 } },
      networks: { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 7 }, { op: 'Write', value: 9 }, { op: 'Total', value: 16 }] },
      pids_stats: { current: 2 },
    })
    expect(r).toEqual({
      atMs: Date.parse('2026-11-27T23:38:53.272Z'),
      cpuUsageNs: 107596660,
      memoryBytes: 479232 - 4096,
      memoryLimitBytes: 25276026880,
      networkRxBytes: 11,
      networkTxBytes: 22,
      blockReadBytes: 7,
      blockWriteBytes: 9,
      pids: 2,
      source: 'engine',
    })
  })

  it('reads the v2 shape (inactive_file, lower-case operations, no blkio list)', () => {
    const r = readingFromEngine({
      read: '2026-11-27T23:38:53Z',
      memory_stats: { usage: 2000, limit: 5000, stats: { inactive_file: 500 } },
      blkio_stats: { io_service_bytes_recursive: null },
    })
    expect(r).toMatchObject({ memoryBytes: 1500, blockReadBytes: 0, pids: 0, networkRxBytes: 0 })
  })

  it('has no reading for a container that stopped before the engine read it', () => {
    expect(readingFromEngine({ read: '0001-01-01T00:00:00Z' })).toBeNull()
  })
})
