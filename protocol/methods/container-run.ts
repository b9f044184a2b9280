/**
 * container-run: `docker create` / `docker run -d` from a spec, and `docker commit`.
 * The spec keeps the CLI's own notations (ports, volumes, env lines, restart policy), each
 * checked here with a message that names the bad line, so nothing invalid reaches the engine.
 */
import * as z from 'zod'
import { imageRefProblem, parseImageReference } from '../image-reference'
import { method } from './common'
import {
  commitChangeProblem,
  parseEnvLine,
  parseLabelLine,
  parsePort,
  parseRestart,
  parseVolume,
  type Parsed,
} from './container-run-fields'
import { containerNameSchema, containerRefSchema } from './containers'

export * from './container-run-fields'

/** A list whose every line must parse; the parser's message names the line. */
function lines(parse: (line: string, index: number) => Parsed<unknown>) {
  return z.array(z.string().max(4096, 'a line is at most 4096 characters')).superRefine((items, ctx) => {
    items.forEach((line, index) => {
      const parsed = parse(line, index)
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, path: [index] })
    })
  })
}

const imageField = z
  .string()
  .refine((s) => imageRefProblem(s) === undefined, { error: (issue) => imageRefProblem(String(issue.input)) ?? 'not an image' })

const networkName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a network name starts with a letter or digit and has only letters, digits, _ . and -')

export const runSpecSchema = z
  .object({
    image: imageField,
    name: containerNameSchema.optional(),
    command: z.array(z.string()).optional(),
    entrypoint: z.array(z.string()).optional(),
    env: lines(parseEnvLine).optional(),
    ports: lines((l) => parsePort(l)).optional(),
    volumes: lines((l) => parseVolume(l)).optional(),
    network: networkName.optional(),
    restart: z
      .string()
      .refine((s) => parseRestart(s).ok, { error: (issue) => (parseRestart(String(issue.input)) as { message: string }).message })
      .optional(),
    autoRemove: z.boolean().optional(),
    labels: lines(parseLabelLine).optional(),
    interactive: z.boolean().optional(),
    tty: z.boolean().optional(),
    workingDir: z.string().startsWith('/', 'the working directory must be an absolute path inside the container').optional(),
    user: z
      .string()
      .regex(/^[^:\s]+(:[^:\s]+)?$/, 'the user is name, uid, name:group or uid:gid, without spaces')
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    // the engine refuses both together; say so before it does
    if (spec.autoRemove && spec.restart !== undefined && spec.restart !== 'no') {
      ctx.addIssue({ code: 'custom', path: ['autoRemove'], message: 'auto-remove (--rm) cannot be combined with a restart policy other than no' })
    }
  })
export type RunSpec = z.input<typeof runSpecSchema>

const created = z.object({ id: z.string(), name: z.string() })

/** `docker commit` with a repository and tag; an image without them is dangling, so they are asked for. */
export const commitParamsSchema = z
  .object({
    id: containerRefSchema,
    repository: z.string().superRefine((repo, ctx) => {
      if (repo === '') {
        ctx.addIssue({ code: 'custom', message: 'a repository name is required (e.g. myapp/web)' })
        return
      }
      if (repo.lastIndexOf(':') > repo.lastIndexOf('/')) {
        ctx.addIssue({ code: 'custom', message: 'write the tag in its own field, not after the repository' })
        return
      }
      const parsed = parseImageReference(repo)
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message })
      else if (parsed.ref.digest) ctx.addIssue({ code: 'custom', message: 'a commit cannot be given a digest' })
    }),
    tag: z
      .string()
      .max(128, 'a tag is at most 128 characters')
      .regex(/^\w[\w.-]*$/, 'a tag has only letters, digits, _ . and -, and cannot start with . or -')
      .optional(),
    /** The image's comment (docker commit -m). */
    message: z.string().max(4096, 'the message is at most 4096 characters').optional(),
    /** docker commit -a, e.g. "Jane <jane@example.com>". */
    author: z.string().max(256, 'the author is at most 256 characters').optional(),
    changes: lines((line, index) => {
      const problem = commitChangeProblem(line, index)
      return problem === undefined ? { ok: true, value: line } : { ok: false, message: problem }
    }).optional(),
    /** Pause the container while committing (docker commit's default). */
    pause: z.boolean().optional(),
  })
  .strict()
export type CommitParams = z.input<typeof commitParamsSchema>

// creating can wait on the engine setting up mounts; starting on the process
const CREATE_DEADLINE_MS = 60_000
// a commit copies the container's changed layer: a large one takes minutes
const COMMIT_DEADLINE_MS = 600_000

export const containerRunMethods = {
  'containers.create': method(runSpecSchema, created, CREATE_DEADLINE_MS),
  /** create, then start (docker run -d). */
  'containers.run': method(runSpecSchema, created, CREATE_DEADLINE_MS),
  'containers.commit': method(commitParamsSchema, z.object({ imageId: z.string(), reference: z.string() }), COMMIT_DEADLINE_MS),
}

export const containerRunEvents = {} satisfies Record<string, z.ZodObject>
