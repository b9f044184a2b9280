/**
 * system.df: the engine's disk usage report with the totals `docker system df` prints,
 * counted the way the docker CLI counts them so the two never disagree.
 */
import type Docker from 'dockerode'
import type { DiskUsage } from '../../protocol/schema'

export interface DfReport {
  LayersSize?: number
  Images?: Array<{ Id: string; RepoTags?: string[] | null; Created: number; Size: number; SharedSize: number; Containers: number }> | null
  Containers?: Array<{
    Id: string
    Names?: string[]
    Image: string
    State: string
    Status: string
    SizeRw?: number
    Mounts?: Array<{ Type?: string }>
  }> | null
  Volumes?: Array<{ Name: string; UsageData?: { Size: number; RefCount: number } | null }> | null
  BuildCache?: Array<{
    ID: string
    Type: string
    Description: string
    InUse: boolean
    Shared: boolean
    Size: number
    UsageCount: number
    LastUsedAt?: string | null
  }> | null
}

const activeStates = ['running', 'paused', 'restarting']

export function isActiveContainer(state: string): boolean {
  return activeStates.some((s) => state.includes(s))
}

/** `<none>:<none>` is how the engine spells "no tag". */
export function imageTags(repoTags: string[] | null | undefined): string[] {
  return (repoTags ?? []).filter((t) => t !== '<none>:<none>')
}

function sum<T>(items: T[], size: (item: T) => number): number {
  return items.reduce((total, item) => total + size(item), 0)
}

export function diskUsage(df: DfReport): DiskUsage {
  const images = df.Images ?? []
  const containers = df.Containers ?? []
  const volumes = df.Volumes ?? []
  const cache = df.BuildCache ?? []
  const layers = df.LayersSize ?? 0
  const usedImages = images.filter((i) => i.Containers > 0)
  // the CLI's reckoning: an image in use keeps what is unique to it, shared layers are counted once
  const usedBytes = sum(usedImages, (i) => (i.Size === -1 || i.SharedSize === -1 ? 0 : i.Size - i.SharedSize))
  const measured = (size: number | undefined) => (size === undefined || size < 0 ? 0 : size)
  return {
    images: {
      totalCount: images.length,
      active: usedImages.length,
      sizeBytes: layers,
      reclaimableBytes: layers - usedBytes,
      items: images.map((i) => ({
        id: i.Id,
        tags: imageTags(i.RepoTags),
        created: i.Created,
        sizeBytes: i.Size,
        sharedSizeBytes: i.SharedSize,
        uniqueSizeBytes: i.SharedSize === -1 ? i.Size : i.Size - i.SharedSize,
        containers: i.Containers,
      })),
    },
    containers: {
      totalCount: containers.length,
      active: containers.filter((c) => isActiveContainer(c.State)).length,
      sizeBytes: sum(containers, (c) => measured(c.SizeRw)),
      reclaimableBytes: sum(containers, (c) => (isActiveContainer(c.State) ? 0 : measured(c.SizeRw))),
      items: containers.map((c) => ({
        id: c.Id,
        name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
        image: c.Image,
        state: c.State,
        status: c.Status,
        sizeBytes: measured(c.SizeRw),
        localVolumes: (c.Mounts ?? []).filter((m) => m.Type === 'volume').length,
      })),
    },
    volumes: {
      totalCount: volumes.length,
      active: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length,
      sizeBytes: sum(volumes, (v) => measured(v.UsageData?.Size)),
      reclaimableBytes: sum(volumes, (v) => ((v.UsageData?.RefCount ?? 0) > 0 ? 0 : measured(v.UsageData?.Size))),
      items: volumes.map((v) => ({
        name: v.Name,
        links: v.UsageData?.RefCount ?? 0,
        sizeBytes: v.UsageData && v.UsageData.Size >= 0 ? v.UsageData.Size : null,
      })),
    },
    buildCache: {
      totalCount: cache.length,
      active: cache.filter((c) => c.InUse).length,
      sizeBytes: sum(cache, (c) => (c.Shared ? 0 : c.Size)),
      reclaimableBytes: sum(cache, (c) => (c.Shared || c.InUse ? 0 : c.Size)),
      items: cache.map((c) => ({
        id: c.ID,
        type: c.Type,
        description: c.Description,
        sizeBytes: c.Size,
        inUse: c.InUse,
        shared: c.Shared,
        usageCount: c.UsageCount,
        lastUsed: c.LastUsedAt ?? '',
      })),
    },
  }
}

export async function readDiskUsage(docker: Docker): Promise<DiskUsage> {
  return diskUsage((await docker.df()) as DfReport)
}
