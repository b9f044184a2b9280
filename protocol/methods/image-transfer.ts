/**
 * Moving images: save to a tar file on this computer, load one into a host, import a root
 * filesystem tarball as an image, and copy an image straight from one host to another; and
 * a container's filesystem exported to a tar file (docker export, what import takes).
 *
 * Bytes travel on flow-controlled streams (agent -> main -> agent, or a file), never held
 * whole in memory. The renderer calls main's `images.*File` / `images.copy`, naming a
 * transferId of its choosing to match the `transfer.progress` events; main speaks the
 * agent's `transfer.*` methods, which the renderer never sees.
 */
import * as z from 'zod'
import { hostIdSchema, method } from './common'
import { containerRefSchema } from './containers'
import { commitChangeProblem, parseEnvLine } from './container-run-fields'
import { imageRefSchema, pullIdSchema, tagReferenceSchema } from './images'

/** A transfer can move gigabytes: its call waits as long as the bytes keep coming. */
export const TRANSFER_DEADLINE_MS = 6 * 60 * 60 * 1000

export const imageTransferIdSchema = pullIdSchema

/** An absolute path on this computer (where Berth runs). */
const localPath = z
  .string()
  .min(1, 'a file path is required')
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|~\/)/, 'give the file as a full path, e.g. /home/you/images/app.tar')

const changeLines = z
  .array(z.string().max(4096))
  .max(64)
  .superRefine((items, ctx) => {
    items.forEach((line, index) => {
      const problem = commitChangeProblem(line, index)
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [index] })
    })
  })

const buildArgLines = z
  .array(z.string().max(4096))
  .max(64)
  .superRefine((items, ctx) => {
    items.forEach((line, index) => {
      const parsed = parseEnvLine(line, index)
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message.replace('environment line', 'build argument'), path: [index] })
    })
  })

/** What `docker build` takes besides the context. */
const buildOptions = {
  /** The Dockerfile, relative to the context folder. */
  dockerfile: z
    .string()
    .max(1024)
    .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, 'the Dockerfile is a path inside the context folder, e.g. Dockerfile or docker/app.Dockerfile')
    .optional(),
  tags: z.array(tagReferenceSchema).max(16).optional(),
  /** KEY=value lines, as --build-arg. */
  buildArgs: buildArgLines.optional(),
  /** A stage of a multi-stage Dockerfile, as --target. */
  target: z.string().max(128).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a build target is the name of a stage (letters, digits, _ . -)').optional(),
}

const loadedSchema = z.object({
  /** What the engine reported loading: repository:tag names, or image IDs for untagged ones. */
  loaded: z.array(z.string()),
  bytes: z.number().int().nonnegative(),
})

export const imageTransferMethods = {
  /** docker save: the images (with all their tags) into one tar file here. */
  'images.saveToFile': method(
    z.object({ hostId: hostIdSchema, transferId: imageTransferIdSchema, images: z.array(imageRefSchema).min(1, 'choose at least one image').max(100), path: localPath }).strict(),
    z.object({ path: z.string(), bytes: z.number().int().nonnegative() }),
    TRANSFER_DEADLINE_MS,
  ),
  /** docker load: a tar file made by docker save, from this computer into the host. */
  'images.loadFromFile': method(
    z.object({ hostId: hostIdSchema, transferId: imageTransferIdSchema, path: localPath }).strict(),
    loadedSchema,
    TRANSFER_DEADLINE_MS,
  ),
  /**
   * docker export: the container's filesystem as it is now, one tar file here (no layers, no
   * image config, no volumes' contents), which images.importFromFile makes an image of again.
   */
  'containers.exportToFile': method(
    z.object({ hostId: hostIdSchema, transferId: imageTransferIdSchema, container: containerRefSchema, path: localPath }).strict(),
    z.object({ path: z.string(), bytes: z.number().int().nonnegative() }),
    TRANSFER_DEADLINE_MS,
  ),
  /** docker import: a root filesystem tarball becomes a one-layer image. */
  'images.importFromFile': method(
    z
      .object({
        hostId: hostIdSchema,
        transferId: imageTransferIdSchema,
        path: localPath,
        /** repository[:tag] to give it; without, the image is untagged. */
        reference: tagReferenceSchema.optional(),
        /** Dockerfile-style changes, e.g. CMD ["sh"]. */
        changes: changeLines.optional(),
        message: z.string().max(4096).optional(),
      })
      .strict(),
    z.object({ id: z.string(), reference: z.string().optional(), bytes: z.number().int().nonnegative() }),
    TRANSFER_DEADLINE_MS,
  ),
  /**
   * docker save on one host piped into docker load on another. An image for a CPU the target
   * can neither run nor emulate is refused (CONFLICT, detail `imagePlatform` and `hostArch`)
   * unless `anyPlatform` is set.
   */
  'images.copy': method(
    z
      .object({
        fromHostId: hostIdSchema,
        toHostId: hostIdSchema,
        transferId: imageTransferIdSchema,
        image: imageRefSchema,
        anyPlatform: z.boolean().optional(),
      })
      .strict()
      .refine((p) => p.fromHostId !== p.toHostId, { message: 'copy to another host: this image is already on this one', path: ['toHostId'] }),
    loadedSchema,
    TRANSFER_DEADLINE_MS,
  ),
}

/** `docker build` can run for an hour on a small host. */
export const BUILD_DEADLINE_MS = 2 * 60 * 60 * 1000

export const imageBuildMethods = {
  /**
   * docker build: the context folder on this computer goes to the host as a tar stream
   * (.dockerignore respected); its output comes as build.output events with the same buildId.
   */
  'images.build': method(
    z.object({ hostId: hostIdSchema, buildId: imageTransferIdSchema, context: localPath, ...buildOptions }).strict(),
    z.object({ imageId: z.string(), tags: z.array(z.string()), contextBytes: z.number().int().nonnegative() }),
    BUILD_DEADLINE_MS,
  ),
}

export const transferEvents = {
  /** A piece of a build's output, as `docker build` prints it. */
  'build.output': z.object({ buildId: imageTransferIdSchema, text: z.string() }),
  /** Bytes moved so far; totalBytes when known (an estimate from the image's size). */
  'transfer.progress': z.object({
    transferId: imageTransferIdSchema,
    bytes: z.number().int().nonnegative(),
    totalBytes: z.number().int().nonnegative().optional(),
  }),
}

// --- main <-> agent only -------------------------------------------------------------------

export const transferAgentEvents = {
  /** Build output for the build reading stream `streamId`. */
  'transfer.buildOutput': z.object({ streamId: z.number().int(), text: z.string() }),
}

export const transferAgentMethods = {
  'transfer.build': method(z.object({ streamId: z.number().int(), ...buildOptions }).strict(), z.object({ imageId: z.string() }), BUILD_DEADLINE_MS),
  /** Opens a stream (its id in the answer) carrying `docker save` of the images. */
  'transfer.save': method(z.object({ images: z.array(imageRefSchema).min(1).max(100) }).strict(), z.object({ streamId: z.number().int() })),
  /** Opens a stream (its id in the answer) carrying `docker export` of the container. */
  'transfer.export': method(z.object({ container: containerRefSchema }).strict(), z.object({ streamId: z.number().int() })),
  /** Feeds the stream main opened (streamId) to `docker load`. */
  'transfer.load': method(z.object({ streamId: z.number().int() }).strict(), z.object({ loaded: z.array(z.string()) }), TRANSFER_DEADLINE_MS),
  'transfer.import': method(
    z
      .object({
        streamId: z.number().int(),
        reference: tagReferenceSchema.optional(),
        changes: changeLines.optional(),
        message: z.string().max(4096).optional(),
      })
      .strict(),
    z.object({ id: z.string() }),
    TRANSFER_DEADLINE_MS,
  ),
}
