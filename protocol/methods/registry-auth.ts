/**
 * Registry logins and push. Credentials live in main only (in memory, or encrypted by the OS
 * keychain when the user saves them), are never logged, and go to the agent only inside the
 * one call that needs them, for the registry they belong to.
 */
import * as z from 'zod'
import { hostIdSchema, method, registryAuthConfigSchema } from './common'
import { pullIdSchema, tagReferenceSchema } from './images'

/** A registry's address as image references name it: host[:port] (docker.io for Docker Hub). */
export const registryDomainSchema = z
  .string()
  .min(1, 'a registry address is required')
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'a registry is host[:port], e.g. registry.example.com:5000 or docker.io')

export const registryLoginSchema = z.object({
  domain: z.string(),
  username: z.string(),
  /** Saved encrypted by the OS keychain; otherwise kept until Berth quits. */
  saved: z.boolean(),
})
export type RegistryLogin = z.infer<typeof registryLoginSchema>

const credentials = {
  username: z.string().min(1, 'enter the user name').max(256),
  password: z.string().min(1, 'enter the password or access token').max(4096),
}

export const registryAuthMethods = {
  'registries.list': method(z.object({}).strict(), z.array(registryLoginSchema)),
  /** Tests the login from a host (the engine asks the registry), then keeps it. */
  'registries.login': method(
    z.object({ hostId: hostIdSchema, domain: registryDomainSchema, ...credentials, save: z.boolean().optional() }).strict(),
    registryLoginSchema.extend({ status: z.string() }),
    60_000,
  ),
  'registries.logout': method(z.object({ domain: registryDomainSchema }).strict(), z.object({})),
  /** docker push, with the login kept for the reference's registry, if any. */
  'images.push': method(
    z.object({ hostId: hostIdSchema, pushId: pullIdSchema, reference: tagReferenceSchema }).strict(),
    z.object({ reference: z.string(), digest: z.string().optional() }),
    60 * 60 * 1000,
  ),
}

export const pushProgressSchema = z.object({
  pushId: pullIdSchema,
  /** The layer (short digest), or absent for a line about the whole push. */
  layer: z.string().optional(),
  status: z.string(),
  current: z.number().optional(),
  total: z.number().optional(),
})

export const registryAuthEvents = {
  'push.progress': pushProgressSchema,
}

// --- main <-> agent only -------------------------------------------------------------------

const authConfig = registryAuthConfigSchema

export const registryAgentMethods = {
  'registry.checkLogin': method(z.object({ auth: authConfig }).strict(), z.object({ status: z.string() }), 60_000),
  'registry.push': method(
    z.object({ pushId: pullIdSchema, reference: tagReferenceSchema, auth: authConfig.optional() }).strict(),
    z.object({ digest: z.string().optional() }),
    60 * 60 * 1000,
  ),
}

export const registryAgentEvents = {
  'registry.pushProgress': pushProgressSchema,
}
