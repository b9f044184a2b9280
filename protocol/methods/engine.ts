/** The agent itself and the host's engine: ping, engine facts, the event subscription. */
import * as z from 'zod'
import { empty, method } from './common'

export const engineInfoSchema = z.object({
  /** Berth's architecture name (protocol/platform.ts): Docker's amd64, arm64, ..., with 32-bit ARM as armv7. */
  arch: z.string(),
  os: z.string(),
  engineVersion: z.string(),
  apiVersion: z.string(),
  hostname: z.string(),
  /** What runs the API: "Docker Engine", "Podman Engine", ... */
  engineName: z.string().optional(),
  operatingSystem: z.string().optional(),
  kernelVersion: z.string().optional(),
  cpus: z.number().optional(),
  memoryBytes: z.number().optional(),
  storageDriver: z.string().optional(),
  rootDir: z.string().optional(),
  containers: z.object({ total: z.number(), running: z.number(), paused: z.number(), stopped: z.number() }).optional(),
  images: z.number().optional(),
  /** Architecture families this host runs through emulation (qemu registered with binfmt_misc): `arm` for all 32-bit ARM. */
  emulated: z.array(z.string()).optional(),
})
export type EngineInfo = z.infer<typeof engineInfoSchema>

export const engineMethods = {
  /** Where the agent runs: its version, and the CPU and Node.js it runs on. */
  'agent.ping': method(empty, z.object({ version: z.string(), arch: z.string(), node: z.string() })),
  'engine.info': method(empty, engineInfoSchema),
  'events.subscribe': method(empty, z.object({ subscribed: z.boolean() })),
}

export const engineEvents = {
  'engine.stateChanged': z.object({ available: z.boolean(), message: z.string().optional() }),
  /** An image, network or volume changed on the host, whoever changed it: lists refetch. */
  'engine.objectChanged': z.object({ kind: z.enum(['image', 'network', 'volume']), action: z.string(), id: z.string() }),
}
