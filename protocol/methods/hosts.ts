/** Hosts, served by main itself (not the agent): add, connect, trust a key. */
import * as z from 'zod'
import { empty, errorValueSchema, hostIdSchema, method } from './common'

/** reconnecting: the link dropped and Berth tries again by itself (see HostView.reconnect). */
export const hostStates = ['disconnected', 'connecting', 'installing', 'connected', 'reconnecting', 'error'] as const
export const hostStateSchema = z.enum(hostStates)
export type HostState = z.infer<typeof hostStateSchema>

/**
 * A host's settings, the one list of them: as saved, shown (HostView) and read from
 * ~/.ssh/config. Unchecked here (the local host has no user or port); hostInputSchema below
 * checks the same fields as a person types them.
 */
const hostFields = {
  name: z.string(),
  address: z.string(),
  port: z.number(),
  user: z.string(),
  identityFile: z.string().optional(),
  /** ssh's IdentitiesOnly: offer only the identity file, not ssh-agent's keys. */
  identitiesOnly: z.boolean().optional(),
  /** ssh's ProxyJump: `[user@]host[:port]` hops, comma-separated, or names of saved hosts. */
  proxyJump: z.string().optional(),
}
export const hostFieldsSchema = z.object(hostFields)
export type HostFields = z.infer<typeof hostFieldsSchema>

/** A field for each of hostFields, no more, no fewer: the two lists cannot drift apart. */
type CheckedHostFields = { [K in keyof typeof hostFields]: z.ZodType }

export const hostInputSchema = z
  .object({
    name: z.string().trim().min(1, 'a host needs a name').max(64, 'a host name is at most 64 characters'),
    address: z
      .string()
      .trim()
      .min(1, 'a host needs an address')
      .max(253, 'an address is at most 253 characters')
      .regex(/^[a-zA-Z0-9.:_-]+$/, 'an address is a host name or an IP address'),
    port: z.number().int().min(1, 'a port is 1 to 65535').max(65535, 'a port is 1 to 65535').default(22),
    user: z
      .string()
      .trim()
      .min(1, 'a host needs a user name')
      .max(64)
      .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'a user name has letters, digits, _ . and -'),
    identityFile: z.string().max(4096).optional(),
    identitiesOnly: z.boolean().optional(),
    proxyJump: z
      .string()
      .trim()
      .max(1024)
      .regex(/^[a-zA-Z0-9@.:_[\], -]*$/, 'ProxyJump is [user@]host[:port] hops separated by commas')
      .optional(),
  } satisfies CheckedHostFields)
  .strict()
/** What a form sends (port may be left out). */
export type HostInput = z.input<typeof hostInputSchema>
/** What hosts.add and hosts.update hand main once checked: a saved host's settings. */
export type HostSettings = z.output<typeof hostInputSchema>

export const pendingHostKeySchema = z.object({
  keyType: z.string(),
  fingerprint: z.string(),
  /** The host that showed the key: the host itself, or a jump host on the way to it. */
  address: z.string().optional(),
  port: z.number().optional(),
})

export const hostViewSchema = hostFieldsSchema.extend({
  id: hostIdSchema,
  local: z.boolean(),
  state: hostStateSchema,
  /**
   * Set while Berth reconnects by itself after the link dropped: the attempt under way or next
   * (from 1), and when the next one starts (ms since the epoch). hosts.connect tries at once.
   */
  reconnect: z.object({ attempt: z.number().int().min(1), nextTryAt: z.number() }).optional(),
  arch: z.string().optional(),
  engineVersion: z.string().optional(),
  /** Architecture families the host runs emulated (qemu through binfmt_misc), as engine.info says them. */
  emulated: z.array(z.string()).optional(),
  agentVersion: z.string().optional(),
  /** agent: Berth's agent runs on the host; agentless: the engine is reached through `docker system dial-stdio`. */
  mode: z.enum(['agent', 'agentless']).optional(),
  /** Why the host runs agentless, and how to fix it. */
  notice: z.string().optional(),
  engineAvailable: z.boolean().optional(),
  error: errorValueSchema.optional(),
  /** Set while the host asks for a password (keyboard-interactive or password authentication). */
  pendingPassword: z.object({ target: z.string(), refused: z.boolean() }).optional(),
  /**
   * Set while the server asks something only the user can answer (keyboard-interactive: a
   * one-time code, a question), during the connection: answered with hosts.answerPrompt.
   */
  pendingPrompt: z
    .object({
      /** The login that asks, user@address:port: a jump host's own when it is the one asking. */
      target: z.string(),
      /** The server's own words above the prompts (PAM's name and instructions); may be empty. */
      name: z.string(),
      instructions: z.string(),
      prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
    })
    .optional(),
  /** Set while an encrypted key file waits for its passphrase. */
  pendingPassphrase: z.object({ keyFile: z.string() }).optional(),
  /** Set while the host's key is unknown: shown to the user to accept or refuse. */
  pendingHostKey: pendingHostKeySchema.optional(),
})
export type HostView = z.infer<typeof hostViewSchema>

const hostRef = z.object({ hostId: hostIdSchema }).strict()

/** A host of ~/.ssh/config offered for import. */
export const sshConfigEntrySchema = hostFieldsSchema.extend({
  /** A saved host has this name already. */
  added: z.boolean(),
})
export type SshConfigEntry = z.infer<typeof sshConfigEntrySchema>

/**
 * Calls that connect: the SSH login may wait on the user answering the server's prompts (sshd
 * gives a login 120 s by default), then the agent may be installed.
 */
const CONNECT_TIMEOUT_MS = 300_000

export const hostMethods = {
  /** The hosts named in ~/.ssh/config (and what it Includes), resolved as ssh would. */
  /** Gives the passphrase of an encrypted key (in memory, or saved encrypted if asked) and connects again. */
  'hosts.unlockKey': method(
    z
      .object({
        hostId: hostIdSchema,
        keyFile: z.string().min(1).max(4096),
        passphrase: z.string().min(1, 'enter the passphrase').max(1024),
        /** Keep it, encrypted by the OS keychain (desktop app only), for the next start. */
        save: z.boolean().optional(),
      })
      .strict(),
    hostViewSchema,
    CONNECT_TIMEOUT_MS,
  ),
  /** Changes a saved host (the whole input, as hosts.add takes it); reconnect to use it. */
  'hosts.update': method(z.object({ hostId: hostIdSchema, host: hostInputSchema }).strict(), hostViewSchema),
  /** The sidebar order: every saved host's id, in the order wanted. */
  'hosts.reorder': method(z.object({ hostIds: z.array(hostIdSchema).max(1000) }).strict(), z.array(hostViewSchema)),
  /** Gives the password the host asks for (kept in memory only) and connects again. */
  'hosts.givePassword': method(
    z.object({ hostId: hostIdSchema, password: z.string().min(1, 'enter the password').max(1024) }).strict(),
    hostViewSchema,
    CONNECT_TIMEOUT_MS,
  ),
  /** Answers what the server asks mid-login (pendingPrompt), one answer per prompt, in order. */
  'hosts.answerPrompt': method(
    z.object({ hostId: hostIdSchema, answers: z.array(z.string().max(1024)).min(1).max(20) }).strict(),
    hostViewSchema,
  ),
  'hosts.sshConfig': method(empty, z.array(sshConfigEntrySchema)),
  'hosts.importSshConfig': method(
    z.object({ names: z.array(z.string().min(1).max(255)).min(1, 'choose at least one host').max(500) }).strict(),
    z.array(hostViewSchema),
  ),
  'hosts.list': method(empty, z.array(hostViewSchema)),
  /** What this shell can do: whether secrets can be saved in the OS keychain. */
  'app.capabilities': method(empty, z.object({ saveSecrets: z.boolean() })),
  'hosts.add': method(hostInputSchema, hostViewSchema),
  'hosts.remove': method(hostRef, z.object({})),
  // connecting includes the agent install: allow for a slow link
  'hosts.connect': method(hostRef, hostViewSchema, CONNECT_TIMEOUT_MS),
  'hosts.disconnect': method(hostRef, hostViewSchema),
  'hosts.trustKey': method(
    z.object({ hostId: hostIdSchema, fingerprint: z.string().min(1) }).strict(),
    hostViewSchema,
    CONNECT_TIMEOUT_MS,
  ),
}

