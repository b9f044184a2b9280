/**
 * volumeFiles.*: browse one volume's files from the window: list a folder, view a text file,
 * download a file or folder, upload a file. Paths are relative to the volume's root and are
 * refused here when they leave it; the agent also refuses symbolic links that lead out.
 *
 * Data moves in pieces (base64, at most TRANSFER_CHUNK_BYTES each) through a transfer id the
 * agent holds for a while, because one message between the window and main is at most 1 MiB.
 */
import * as z from 'zod'
import { method } from './common'
import { fileNameProblem, volumePathSegments } from './volume-file-paths'
import { volumeNameSchema } from './volumes'

export * from './volume-file-paths'

/** Raw bytes per transfer piece: as base64 (4/3 larger) plus JSON it stays well under 1 MiB. */
export const TRANSFER_CHUNK_BYTES = 512 * 1024
/** The most a download or upload may move: the window holds a download in memory before saving it. */
export const MAX_TRANSFER_BYTES = 512 * 1024 * 1024
/** A text file is shown up to this many bytes. */
export const TEXT_VIEW_BYTES = 256 * 1024
/** A folder listing stops after this many entries and says it was cut short. */
export const MAX_LIST_ENTRIES = 5_000

/** A path inside the volume; parses to its normalised form ('' for the root). */
export const volumePathSchema = z
  .string()
  .max(4096, 'a path is at most 4096 characters')
  .transform((raw, ctx) => {
    const check = volumePathSegments(raw)
    if (check.ok) return check.segments.join('/')
    ctx.addIssue({ code: 'custom', message: check.problem })
    return z.NEVER
  })

export const fileNameSchema = z
  .string()
  .max(255, 'a file name is at most 255 characters')
  .superRefine((name, ctx) => {
    const problem = fileNameProblem(name)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export const transferIdSchema = z.string().regex(/^[0-9a-f-]{36}$/, 'a transfer id is what the start of a transfer answered')

export const volumeFileKinds = ['file', 'directory', 'symlink', 'other'] as const

export const volumeFileEntrySchema = z.object({
  name: z.string(),
  kind: z.enum(volumeFileKinds),
  /** Bytes; null where the archive does not say (hard links). */
  sizeBytes: z.number().nullable(),
  /** As `ls -l` shows it, e.g. -rw-r--r--. */
  mode: z.string(),
  /** ISO time of the last change. */
  modified: z.string(),
  /** Where a symbolic link points, as written in the link; '' for everything else. */
  linkTarget: z.string(),
})
export type VolumeFileEntry = z.infer<typeof volumeFileEntrySchema>

export const volumeListingSchema = z.object({
  volume: z.string(),
  /** The folder listed, normalised, after following symbolic links inside the volume. */
  path: z.string(),
  entries: z.array(volumeFileEntrySchema),
  /** Why the listing is incomplete (too many entries, too much to read); null when complete. */
  cutShort: z.string().nullable(),
})
export type VolumeListing = z.infer<typeof volumeListingSchema>

const target = { volume: volumeNameSchema, path: volumePathSchema }

export const volumeUploadStartSchema = z
  .object({
    volume: volumeNameSchema,
    /** The folder to put the file in. */
    directory: volumePathSchema,
    name: fileNameSchema,
    sizeBytes: z
      .number()
      .int()
      .min(0)
      .max(MAX_TRANSFER_BYTES, `a file to upload is at most ${MAX_TRANSFER_BYTES / 1024 / 1024} MiB`),
    /** Replace a file of the same name; a folder or symbolic link of that name is never replaced. */
    overwrite: z.boolean().default(false),
  })
  .strict()
export type VolumeUploadStart = z.input<typeof volumeUploadStartSchema>

const base64Piece = z
  .string()
  .max(Math.ceil(TRANSFER_CHUNK_BYTES / 3) * 4, `a piece is at most ${TRANSFER_CHUNK_BYTES / 1024} KiB`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'a piece is base64')

export const volumeFileMethods = {
  'volumeFiles.list': method(z.object(target).strict(), volumeListingSchema, 90_000),
  'volumeFiles.readText': method(
    z.object(target).strict(),
    z.object({ path: z.string(), sizeBytes: z.number(), text: z.string(), truncated: z.boolean() }),
    60_000,
  ),
  'volumeFiles.downloadStart': method(
    z.object(target).strict(),
    z.object({
      transferId: z.string(),
      /** What to save it as: the file's name, or the folder's name plus .tar. */
      fileName: z.string(),
      kind: z.enum(['file', 'folder']),
      /** Known for a file; a folder's tar size is known only at the end. */
      sizeBytes: z.number().nullable(),
    }),
    60_000,
  ),
  'volumeFiles.downloadChunk': method(
    z.object({ transferId: transferIdSchema }).strict(),
    z.object({ data: z.string(), bytesSent: z.number(), done: z.boolean() }),
    60_000,
  ),
  'volumeFiles.uploadStart': method(volumeUploadStartSchema, z.object({ transferId: z.string(), path: z.string() }), 60_000),
  'volumeFiles.uploadChunk': method(
    z.object({ transferId: transferIdSchema, offset: z.number().int().min(0), data: base64Piece }).strict(),
    z.object({ receivedBytes: z.number() }),
  ),
  'volumeFiles.uploadFinish': method(
    z.object({ transferId: transferIdSchema }).strict(),
    z.object({ path: z.string(), sizeBytes: z.number() }),
    120_000,
  ),
  'volumeFiles.cancel': method(z.object({ transferId: transferIdSchema }).strict(), z.object({ cancelled: z.boolean() })),
  /** Done browsing: removes the helper container now rather than after its idle time. */
  'volumeFiles.close': method(z.object({ volume: volumeNameSchema }).strict(), z.object({ closed: z.boolean() }), 60_000),
}

export const volumeFileEvents = {} satisfies Record<string, z.ZodObject>
