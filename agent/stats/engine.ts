/**
 * The fallback for a container whose cgroup files this agent cannot read: one one-shot stats
 * call to the engine (`GET /containers/{id}/stats?stream=false&one-shot=true`, API 1.41+),
 * which answers at once instead of waiting a second for its own second reading.
 */
import type Docker from 'dockerode'
import type { StatsReading } from './math'

/** The parts of the engine's stats answer Berth uses (cgroup v1 and v2 shapes). */
export interface EngineStatsJson {
  read?: string
  cpu_stats?: { cpu_usage?: { total_usage?: number } }
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> }
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null }
  pids_stats?: { current?: number }
}

/** The engine's "no reading" time: a container that stopped before it was read. */
const ZERO_TIME_PREFIX = '0001-01-01'

/** A reading from the engine's answer, or null when the container was not running. */
export function readingFromEngine(json: EngineStatsJson): StatsReading | null {
  if (!json.read || json.read.startsWith(ZERO_TIME_PREFIX)) return null
  const memory = json.memory_stats ?? {}
  const usage = memory.usage ?? 0
  // as the docker CLI: v1 reports total_inactive_file, v2 inactive_file
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0
  let rx = 0
  let tx = 0
  for (const net of Object.values(json.networks ?? {})) {
    rx += net.rx_bytes ?? 0
    tx += net.tx_bytes ?? 0
  }
  let blockRead = 0
  let blockWrite = 0
  for (const entry of json.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op?.toLowerCase()
    if (op === 'read') blockRead += entry.value ?? 0
    else if (op === 'write') blockWrite += entry.value ?? 0
  }
  return {
    atMs: Date.parse(json.read),
    cpuUsageNs: json.cpu_stats?.cpu_usage?.total_usage ?? 0,
    memoryBytes: inactive < usage ? usage - inactive : usage,
    memoryLimitBytes: memory.limit ?? 0,
    networkRxBytes: rx,
    networkTxBytes: tx,
    blockReadBytes: blockRead,
    blockWriteBytes: blockWrite,
    pids: json.pids_stats?.current ?? 0,
    source: 'engine',
  }
}

export async function readFromEngine(docker: Docker, id: string): Promise<StatsReading | null> {
  const json = (await docker.getContainer(id).stats({ stream: false, 'one-shot': true } as { stream: false })) as EngineStatsJson
  return readingFromEngine(json)
}
