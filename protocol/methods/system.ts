/** Disk use on a host (`docker system df -v`) and confirmed prunes of what can go. */
import * as z from 'zod'
import { method } from './common'
import { pruneOutcomeSchema } from './volumes'

/** One row of `docker system df`: the totals of a kind. */
const totals = {
  totalCount: z.number(),
  /** Images used by a container, running containers, volumes in use, build cache in use. */
  active: z.number(),
  sizeBytes: z.number(),
  /** What removing everything not active would free, as `docker system df` counts it. */
  reclaimableBytes: z.number(),
}

export const diskImageSchema = z.object({
  id: z.string(),
  /** repository:tag names; empty for a dangling image. */
  tags: z.array(z.string()),
  created: z.number(),
  sizeBytes: z.number(),
  sharedSizeBytes: z.number(),
  uniqueSizeBytes: z.number(),
  containers: z.number(),
})

export const diskContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.string(),
  status: z.string(),
  /** The writable layer's size (SizeRw). */
  sizeBytes: z.number(),
  localVolumes: z.number(),
})

export const diskVolumeSchema = z.object({ name: z.string(), links: z.number(), sizeBytes: z.number().nullable() })

export const diskCacheSchema = z.object({
  id: z.string(),
  type: z.string(),
  description: z.string(),
  sizeBytes: z.number(),
  inUse: z.boolean(),
  shared: z.boolean(),
  usageCount: z.number(),
  lastUsed: z.string(),
})

export const diskUsageSchema = z.object({
  images: z.object({ ...totals, items: z.array(diskImageSchema) }),
  containers: z.object({ ...totals, items: z.array(diskContainerSchema) }),
  volumes: z.object({ ...totals, items: z.array(diskVolumeSchema) }),
  buildCache: z.object({ ...totals, items: z.array(diskCacheSchema) }),
})
export type DiskUsage = z.infer<typeof diskUsageSchema>

export const pruneKinds = ['containers', 'images', 'buildCache'] as const
export const pruneKindSchema = z.enum(pruneKinds, { message: 'the kind is containers, images or buildCache' })
export type PruneKind = z.infer<typeof pruneKindSchema>

export const pruneCandidateSchema = z.object({
  id: z.string(),
  /** What a user recognises: the container's name, an image's short id, a cache entry's description. */
  label: z.string(),
  detail: z.string(),
  sizeBytes: z.number().nullable(),
})
export type PruneCandidate = z.infer<typeof pruneCandidateSchema>

export const systemMethods = {
  // measuring every layer and volume can take minutes on a big host
  'system.df': method(z.object({}).strict(), diskUsageSchema, 300_000),
  /** Exactly what `system.prune` may remove: stopped containers, dangling images or unused build cache. */
  'system.prunePreview': method(z.object({ kind: pruneKindSchema }).strict(), z.array(pruneCandidateSchema), 300_000),
  /** Removes only the confirmed ids that are still in the preview's set; never anything else. */
  'system.prune': method(
    z
      .object({
        kind: pruneKindSchema,
        ids: z
          .array(z.string().regex(/^[a-zA-Z0-9:]{1,80}$/, 'an id has only letters, digits and :'))
          .min(1, 'confirm at least one item')
          .max(10_000),
      })
      .strict(),
    pruneOutcomeSchema,
    600_000,
  ),
}

export const systemEvents = {} satisfies Record<string, z.ZodObject>
