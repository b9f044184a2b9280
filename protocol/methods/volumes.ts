/** Volumes: their shapes, the agent's volumes.* methods, and a container's mounts. */
import * as z from 'zod'
import { containerRefSchema } from './containers'
import { method } from './common'
import { labelsSchema } from './networks'

/** A volume name, as `docker volume create` accepts it. */
export const volumeNameSchema = z
  .string()
  .min(2, 'a volume name is at least 2 characters')
  .max(255, 'a volume name is at most 255 characters')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, 'a volume name starts with a letter or digit and has only letters, digits, _ . and -')

export const volumeSummarySchema = z.object({
  name: z.string(),
  driver: z.string(),
  mountpoint: z.string(),
  labels: z.record(z.string(), z.string()),
  /** ISO time the engine reports; empty when it has none. */
  created: z.string(),
  /** Bytes on disk, or null where the engine does not measure it (volumes of non-local drivers). */
  sizeBytes: z.number().nullable(),
  /** Names of the containers, running or not, that mount it. */
  containers: z.array(z.string()),
  /** No container uses it: what `docker volume ls -f dangling=true` lists. */
  dangling: z.boolean(),
})
export type VolumeSummary = z.infer<typeof volumeSummarySchema>

export const volumeCreateSchema = z
  .object({
    name: volumeNameSchema,
    driver: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*$/, 'a driver name has only letters, digits, _ . : / and -')
      .default('local'),
    /** Driver options, as `docker volume create -o key=value`. */
    driverOptions: z.record(z.string().min(1, 'a driver option needs a key'), z.string()).default({}),
    labels: labelsSchema.default({}),
  })
  .strict()
export type VolumeCreate = z.input<typeof volumeCreateSchema>

export const mountSchema = z.object({
  /** volume, bind or tmpfs. */
  type: z.string(),
  /** The volume's name; empty for bind and tmpfs mounts. */
  name: z.string(),
  /** The host path (the volume's mountpoint for a volume). */
  source: z.string(),
  destination: z.string(),
  readOnly: z.boolean(),
})
export type Mount = z.infer<typeof mountSchema>

export const pruneOutcomeSchema = z.object({
  removed: z.array(z.string()),
  /** Confirmed items left in place, each with why (now in use, already gone, ...). */
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  spaceReclaimedBytes: z.number(),
})
export type PruneOutcome = z.infer<typeof pruneOutcomeSchema>

export const volumeMethods = {
  'volumes.list': method(z.object({}).strict(), z.array(volumeSummarySchema), 120_000),
  'volumes.create': method(volumeCreateSchema, volumeSummarySchema),
  'volumes.remove': method(
    z.object({ name: volumeNameSchema, force: z.boolean().default(false) }).strict(),
    z.object({ name: z.string() }),
  ),
  /** Exactly the volumes `volumes.prune` may remove: those no container uses. */
  'volumes.prunePreview': method(z.object({}).strict(), z.array(volumeSummarySchema), 120_000),
  /** Removes only the confirmed names that are still unused; never anything else. */
  'volumes.prune': method(
    z.object({ names: z.array(volumeNameSchema).min(1, 'confirm at least one volume').max(10_000) }).strict(),
    pruneOutcomeSchema,
    600_000,
  ),
  'volumes.forContainer': method(z.object({ container: containerRefSchema }).strict(), z.array(mountSchema)),
}

export const volumeEvents = {} satisfies Record<string, z.ZodObject>
