/**
 * Live resource use of running containers, as `docker stats` shows it: one shared sampler per
 * agent emits `stats.sample` to every subscribed connection.
 */
import * as z from 'zod'
import { empty, method } from './common'

/** Where a container's figures came from: its cgroup files (cheap) or the engine's stats call. */
export const statsSourceSchema = z.enum(['cgroup', 'engine'])
export type StatsSource = z.infer<typeof statsSourceSchema>

/** The sampler's default period, the same as the window's. */
export const DEFAULT_STATS_INTERVAL_MS = 2_000
export const MIN_STATS_INTERVAL_MS = 500
export const MAX_STATS_INTERVAL_MS = 60_000

const bytes = z.number().nonnegative()

export const containerStatsSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Percent of one CPU, like `docker stats` (200 = two full cores); null until a second reading. */
  cpuPercent: z.number().nonnegative().nullable(),
  /** In use, without the inactive page cache, as `docker stats` counts it. */
  memoryBytes: bytes,
  /** The container's limit, or the host's memory when it has none. */
  memoryLimitBytes: bytes,
  /** Cumulative since the container started. */
  networkRxBytes: bytes,
  networkTxBytes: bytes,
  blockReadBytes: bytes,
  blockWriteBytes: bytes,
  pids: z.number().int().nonnegative(),
  source: statsSourceSchema,
})
export type ContainerStats = z.infer<typeof containerStatsSchema>

export const statsTotalsSchema = z.object({
  /** Sum over the running containers, in percent of one CPU. */
  cpuPercent: z.number().nonnegative(),
  memoryBytes: bytes,
  networkRxBytes: bytes,
  networkTxBytes: bytes,
  blockReadBytes: bytes,
  blockWriteBytes: bytes,
  pids: z.number().int().nonnegative(),
})
export type StatsTotals = z.infer<typeof statsTotalsSchema>

export const statsSampleSchema = z.object({
  /** When the sample was taken, Unix milliseconds on the host. */
  at: z.number(),
  intervalMs: z.number().int().positive(),
  containers: z.array(containerStatsSchema),
  totals: statsTotalsSchema,
})
export type StatsSample = z.infer<typeof statsSampleSchema>

const intervalMs = z
  .number()
  .int('the stats interval is a whole number of milliseconds')
  .min(MIN_STATS_INTERVAL_MS, `the stats interval is at least ${MIN_STATS_INTERVAL_MS} ms`)
  .max(MAX_STATS_INTERVAL_MS, `the stats interval is at most ${MAX_STATS_INTERVAL_MS} ms`)

export const statMethods = {
  /**
   * Starts (or joins) the host's sampler for this connection; the first sample follows at once.
   * With several subscribers the shortest interval wins.
   */
  'stats.subscribe': method(z.object({ intervalMs: intervalMs.optional() }).strict(), z.object({ intervalMs: z.number() })),
  'stats.unsubscribe': method(empty, z.object({ subscribed: z.boolean() })),
}

export const statEvents = {
  'stats.sample': statsSampleSchema,
}
