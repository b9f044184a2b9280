/** Images: their shapes, the agent's images.* methods and the pull progress event. */
import * as z from 'zod'
import { imageRefProblem, parseImageReference } from '../image-reference'
import { method, registryAuthConfigSchema } from './common'

/** An image reference a pull accepts: repository[:tag][@digest], checked as the engine would. */
export const pullReferenceSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseImageReference(value)
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message })
})

/** An existing image: its ID (full or short) or a reference to it. */
export const imageRefSchema = z.string().superRefine((value, ctx) => {
  const problem = imageRefProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

/** A repository:tag to create or remove: a digest names content, it cannot be (un)tagged. */
export const tagReferenceSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseImageReference(value)
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message })
  else if (parsed.ref.digest) ctx.addIssue({ code: 'custom', message: 'a tag reference cannot contain a digest (@sha256:…)' })
})

export const platformSchema = z
  .string()
  .regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/, 'a platform is os/architecture[/variant], e.g. linux/arm64')

export const pullIdSchema = z
  .string()
  .min(1, 'a pull id is required')
  .max(64, 'a pull id is at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'a pull id has only letters, digits, _ and -')

/** One row of `docker images`: one per repository:tag, or <none> for untagged images. */
export const imageRowSchema = z.object({
  id: z.string(),
  shortId: z.string(),
  repository: z.string(),
  tag: z.string(),
  /** This repository's digest (repo@sha256:…) when the image came from or went to a registry. */
  digest: z.string().nullable(),
  repoDigests: z.array(z.string()),
  /** Bytes. */
  size: z.number(),
  /** Unix seconds. */
  created: z.number(),
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  dangling: z.boolean(),
  containers: z.object({ count: z.number().int(), names: z.array(z.string()) }),
})
export type ImageRow = z.infer<typeof imageRowSchema>

export const imageLayerHistorySchema = z.object({
  /** ISO 8601. */
  created: z.string(),
  createdBy: z.string(),
  /** Bytes this step added; 0 for metadata-only steps (ENV, CMD, ...). */
  size: z.number(),
  comment: z.string(),
})

export const imageDetailsSchema = z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  /** ISO 8601. */
  created: z.string(),
  size: z.number(),
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  author: z.string(),
  config: z.object({
    cmd: z.array(z.string()).nullable(),
    entrypoint: z.array(z.string()).nullable(),
    env: z.array(z.string()),
    exposedPorts: z.array(z.string()),
    workingDir: z.string(),
    user: z.string(),
    labels: z.record(z.string(), z.string()),
  }),
  /** Newest step first, as `docker history` lists them. */
  history: z.array(imageLayerHistorySchema),
  /** RootFS layer digests, bottom layer first. */
  layers: z.array(z.string()),
})
export type ImageDetails = z.infer<typeof imageDetailsSchema>

export const pullLayerSchema = z.object({
  id: z.string(),
  /** The engine's words: Waiting, Downloading, Extracting, Pull complete, Already exists, ... */
  status: z.string(),
  /** Bytes done and total of the current step (download or extract), when the engine says. */
  current: z.number().optional(),
  total: z.number().optional(),
})
export type PullLayer = z.infer<typeof pullLayerSchema>

export const pullProgressSchema = z.object({
  pullId: z.string(),
  layers: z.array(pullLayerSchema),
  /** The engine's latest line about the whole pull, e.g. "Digest: sha256:…". */
  status: z.string().optional(),
  done: z.boolean(),
  error: z.string().optional(),
})
export type PullProgress = z.infer<typeof pullProgressSchema>

export const removeResultSchema = z.object({ untagged: z.array(z.string()), deleted: z.array(z.string()) })

export const pruneResultSchema = z.object({
  images: z.array(z.object({ id: z.string(), size: z.number() })),
  /** Bytes. */
  spaceReclaimed: z.number(),
})

/** A pull may move gigabytes over a slow link. */
export const PULL_TIMEOUT_MS = 60 * 60_000
/** Inspecting every image of a large host takes a while the first time. */
const LIST_TIMEOUT_MS = 120_000

export const imageMethods = {
  'images.list': method(z.object({}).strict(), z.array(imageRowSchema), LIST_TIMEOUT_MS),
  'images.inspect': method(z.object({ image: imageRefSchema }).strict(), imageDetailsSchema),
  'images.pull': method(
    z
      .object({
        pullId: pullIdSchema,
        reference: pullReferenceSchema,
        /** Defaults to the host's own platform. */
        platform: platformSchema.optional(),
        /** Set by main alone, from the login it keeps for the reference's registry. */
        auth: registryAuthConfigSchema.optional(),
      })
      .strict(),
    z.object({ id: z.string(), digest: z.string().nullable(), reference: z.string() }),
    PULL_TIMEOUT_MS,
  ),
  'images.pullCancel': method(z.object({ pullId: pullIdSchema }).strict(), z.object({ cancelled: z.boolean() })),
  'images.tag': method(
    z.object({ image: imageRefSchema, target: tagReferenceSchema }).strict(),
    z.object({ id: z.string(), target: z.string() }),
  ),
  'images.untag': method(z.object({ reference: tagReferenceSchema }).strict(), removeResultSchema),
  'images.remove': method(z.object({ image: imageRefSchema }).strict(), removeResultSchema),
  'images.pruneDangling': method(
    z.object({ /** Only say what would go. */ preview: z.boolean() }).strict(),
    pruneResultSchema,
    LIST_TIMEOUT_MS,
  ),
}

export const imageEvents = {
  'image.pullProgress': pullProgressSchema,
}
