/**
 * Terminals: `docker exec -it`, `docker attach`, and a login shell on the host.
 *
 * The renderer sees `terminals.*` (served by main, which keeps each terminal's place in its
 * output so it can resume after a dropped link) and the `terminal.*` events. Main speaks
 * `session.*` to the agent, which owns the processes and outlives a dropped link; those are
 * not part of the renderer's API. Output travels agent -> main on a flow-controlled stream
 * and main -> renderer as `terminal.output` events that the renderer acknowledges once drawn,
 * so a flood never runs ahead of the screen.
 */
import * as z from 'zod'
import { hostIdSchema, method } from './common'
import { parseEnvLine } from './container-run-fields'
import { containerRefSchema } from './containers'

export const terminalKinds = ['exec', 'attach', 'host'] as const
export const terminalKindSchema = z.enum(terminalKinds)
export type TerminalKind = z.infer<typeof terminalKindSchema>

/**
 * live: connected to its process. reconnecting: the link to the host dropped; the process
 * goes on there. exited: the process ended (exitCode says how). detached: an attach ended
 * with the detach keys; the container goes on running. closed: the user closed it.
 */
export const terminalStates = ['live', 'reconnecting', 'exited', 'detached', 'closed'] as const
export const terminalStateSchema = z.enum(terminalStates)
export type TerminalState = z.infer<typeof terminalStateSchema>

/** Docker's detach-key notation: comma-separated keys, each a letter or ctrl-<key>. */
export const detachKeysSchema = z
  .string()
  .max(64)
  .regex(
    /^(ctrl-[a-z@[\\\]^_]|[a-zA-Z]),?(,(ctrl-[a-z@[\\\]^_]|[a-zA-Z]))*$/,
    'detach keys are comma-separated keys such as ctrl-p,ctrl-q (a letter, or ctrl- and a letter or one of @ [ \\ ] ^ _)',
  )
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q'

const sizeFields = {
  cols: z.number().int().min(2, 'a terminal is at least 2 columns wide').max(1000),
  rows: z.number().int().min(1, 'a terminal is at least 1 row high').max(1000),
}

const envLines = z.array(z.string().max(4096)).max(256).superRefine((items, ctx) => {
  items.forEach((line, index) => {
    const parsed = parseEnvLine(line, index)
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, path: [index] })
  })
})

/** What to open; shared by main's terminals.open and the agent's session.open. */
export const terminalSpecSchema = z
  .object({
    kind: terminalKindSchema,
    /** The container (exec and attach). */
    container: containerRefSchema.optional(),
    /** exec: the command; empty or absent means the container's shell (bash, else sh). */
    command: z.array(z.string().min(1, 'a command word is empty').max(4096)).max(64).optional(),
    /** exec: the user, as `docker exec -u` takes it. */
    user: z.string().max(256).regex(/^[a-zA-Z0-9_.:-]*$/, 'a user is a name or uid, optionally :group').optional(),
    /** exec: the working directory inside the container. */
    workdir: z.string().max(4096).regex(/^(\/.*)?$/, 'the working directory is an absolute path').optional(),
    /** exec: extra environment, KEY=value lines. */
    env: envLines.optional(),
    /** attach: the key sequence that detaches and leaves the container running. */
    detachKeys: detachKeysSchema.optional(),
    ...sizeFields,
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.kind !== 'host' && spec.container === undefined) {
      ctx.addIssue({ code: 'custom', path: ['container'], message: `${spec.kind} needs a container` })
    }
    if (spec.kind !== 'exec' && (spec.command?.length || spec.user || spec.workdir || spec.env?.length)) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'command, user, working directory and environment are for exec only' })
    }
  })
export type TerminalSpec = z.input<typeof terminalSpecSchema>

export const terminalIdSchema = z.string().regex(/^[a-zA-Z0-9-]{8,64}$/, 'not a terminal id')

export const terminalInfoSchema = z.object({
  terminalId: terminalIdSchema,
  hostId: hostIdSchema,
  kind: terminalKindSchema,
  /** A short title for the tab: the container's name and the command, or user@host. */
  title: z.string(),
  /** The container's name (exec and attach). */
  container: z.string().optional(),
  /** What runs: the exec command, the container's command, or the login shell. */
  command: z.array(z.string()),
  /** False for an attach to a container started without -t: its output needs \n -> \r\n. */
  tty: z.boolean(),
  detachKeys: z.string().optional(),
  state: terminalStateSchema,
  /** The process's exit code once exited; null when the engine could not tell. */
  exitCode: z.number().int().nullable().optional(),
  /** Why it ended, or what happened to the link, in words. */
  message: z.string().optional(),
  /** Output that was printed while the link was down and no longer fits the replay buffer. */
  gapBytes: z.number().int().nonnegative().optional(),
})
export type TerminalInfo = z.infer<typeof terminalInfoSchema>

const terminalRef = { hostId: hostIdSchema, terminalId: terminalIdSchema }

/** Largest piece of input in one call: a big paste arrives in several. */
export const MAX_INPUT_CHARS = 64 * 1024

export const terminalMethods = {
  'terminals.open': method(z.object({ hostId: hostIdSchema, spec: terminalSpecSchema }).strict(), terminalInfoSchema, 60_000),
  /** Keystrokes and pastes, as the terminal encodes them. */
  'terminals.input': method(z.object({ ...terminalRef, data: z.string().min(1).max(MAX_INPUT_CHARS) }).strict(), z.object({})),
  'terminals.resize': method(z.object({ ...terminalRef, ...sizeFields }).strict(), z.object({})),
  /** The renderer has drawn `bytes` of output (the sum of terminal.output's bytes). */
  'terminals.ack': method(z.object({ ...terminalRef, bytes: z.number().int().positive() }).strict(), z.object({})),
  /** Ends the terminal: an exec or host shell is hung up; an attach detaches. */
  'terminals.close': method(z.object(terminalRef).strict(), z.object({})),
  /** Every terminal main knows, on every host (for a window that was reloaded). */
  'terminals.list': method(z.object({}).strict(), z.array(terminalInfoSchema)),
  /** What the host's replay buffer still holds of a terminal's output, for a reloaded window. */
  'terminals.replay': method(z.object(terminalRef).strict(), z.object({ data: z.string(), gapBytes: z.number().int().nonnegative() })),
}

export const terminalEvents = {
  /** Output to draw; acknowledge `bytes` with terminals.ack once written. */
  'terminal.output': z.object({ ...terminalRef, data: z.string(), bytes: z.number().int().nonnegative() }),
  /** A terminal's state changed (link lost, resumed, process exited, detached). */
  'terminal.state': terminalInfoSchema,
}

// --- main <-> agent only -------------------------------------------------------------------

export const sessionIdSchema = terminalIdSchema

export const sessionInfoSchema = z.object({
  sessionId: sessionIdSchema,
  kind: terminalKindSchema,
  title: z.string(),
  container: z.string().optional(),
  command: z.array(z.string()),
  tty: z.boolean(),
  detachKeys: z.string().optional(),
  state: z.enum(['live', 'exited', 'detached', 'closed']),
  exitCode: z.number().int().nullable().optional(),
  message: z.string().optional(),
  /** Total bytes of output the process has printed so far. */
  outputBytes: z.number().int().nonnegative(),
})
export type SessionInfo = z.infer<typeof sessionInfoSchema>

const sessionRef = { sessionId: sessionIdSchema }

export const sessionMethods = {
  /** Starts a process; its output comes on stream `streamId` (opened by the agent). */
  'session.open': method(terminalSpecSchema, sessionInfoSchema.extend({ streamId: z.number().int() }), 60_000),
  /** Takes a session over on this connection; output resumes from `fromOffset` (replayed). */
  'session.resume': method(
    z.object({ ...sessionRef, fromOffset: z.number().int().nonnegative() }).strict(),
    sessionInfoSchema.extend({ streamId: z.number().int().optional(), gapBytes: z.number().int().nonnegative() }),
  ),
  'session.input': method(z.object({ ...sessionRef, data: z.string().min(1).max(MAX_INPUT_CHARS) }).strict(), z.object({})),
  'session.resize': method(z.object({ ...sessionRef, ...sizeFields }).strict(), z.object({})),
  'session.close': method(z.object(sessionRef).strict(), z.object({})),
  'session.list': method(z.object({}).strict(), z.array(sessionInfoSchema)),
  /** The replay buffer as text, from its start. */
  'session.replay': method(z.object(sessionRef).strict(), z.object({ data: z.string(), gapBytes: z.number().int().nonnegative() })),
}

export const sessionEvents = {
  /** The process ended or the attach detached; sent to the connection that holds the session. */
  'session.ended': sessionInfoSchema,
}
