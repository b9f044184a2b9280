/**
 * registry: what a registry holds for a reference, asked before anything is pulled.
 *
 * Three digests that Docker users mix up:
 * - the index digest names the multi-platform list (OCI index / Docker manifest list); after a
 *   pull, RepoDigests holds this one, whichever platform was pulled;
 * - each platform's manifest digest names that platform's image manifest;
 * - layer digests name the compressed layer blobs a manifest lists.
 */
import * as z from 'zod'
import { method } from './common'
import { platformSchema, pullReferenceSchema } from './images'

export const manifestLayerSchema = z.object({
  digest: z.string(),
  /** Compressed bytes, as stored in the registry. */
  size: z.number(),
  mediaType: z.string(),
})
export type ManifestLayer = z.infer<typeof manifestLayerSchema>

export const platformManifestSchema = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  /** os/architecture[/variant], as `--platform` takes it. */
  platform: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  /** Bytes of the manifest document itself. */
  size: z.number(),
  /** Compressed bytes of all layers: what a pull of this platform downloads at most. */
  layersSize: z.number(),
  layers: z.array(manifestLayerSchema),
  /** The platform this host's engine would pull without --platform. */
  thisHost: z.boolean(),
})
export type PlatformManifest = z.infer<typeof platformManifestSchema>

export const manifestReportSchema = z.object({
  /** The reference as the engine spells it in full: 10.77.0.1:5000/lab/busybox:1. */
  reference: z.string(),
  registry: z.string(),
  repository: z.string(),
  /** The digest the tag points at: the index digest when the tag is multi-platform. */
  digest: z.string(),
  mediaType: z.string(),
  /** True when the tag points at an index (several platforms), false for a single manifest. */
  isIndex: z.boolean(),
  /** This host's platform as os/architecture[/variant]. */
  hostPlatform: z.string(),
  platforms: z.array(platformManifestSchema),
})
export type ManifestReport = z.infer<typeof manifestReportSchema>

/** Several registry round trips, each possibly through a token service on the internet. */
const MANIFEST_TIMEOUT_MS = 60_000

export const registryMethods = {
  'registry.manifest': method(
    z
      .object({
        reference: pullReferenceSchema,
        /** Only this platform (NOT_FOUND when the tag has none for it). */
        platform: platformSchema.optional(),
      })
      .strict(),
    manifestReportSchema,
    MANIFEST_TIMEOUT_MS,
  ),
}

export const registryEvents = {} satisfies Record<string, z.ZodObject>
