/** Networks: their shapes and the agent's networks.* methods. */
import * as z from 'zod'
import { containerRefSchema } from './containers'
import { method } from './common'
import { addressInCidr, cidrContains, cidrProblem, ipv4Problem, ipv4ToNumber, parseCidr } from './network-addresses'

/** A network id or name, as `docker network` accepts it. */
export const networkRefSchema = z
  .string()
  .min(1, 'a network id or name is required')
  .max(256, 'a network id or name is at most 256 characters')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a network id or name has only letters, digits, _ . and -')

export const networkDrivers = ['bridge', 'macvlan', 'ipvlan'] as const

/** Label keys and values as `--label key=value` takes them. */
export const labelsSchema = z.record(
  z.string().min(1, 'a label needs a key').max(256, 'a label key is at most 256 characters'),
  z.string().max(4096, 'a label value is at most 4096 characters'),
)

const ipv4Field = z.string().superRefine((value, ctx) => {
  const problem = ipv4Problem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})
const cidrField = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

export const networkCreateSchema = z
  .object({
    name: networkRefSchema,
    driver: z.enum(networkDrivers, { message: 'the driver is bridge, macvlan or ipvlan' }).default('bridge'),
    subnet: cidrField.optional(),
    gateway: ipv4Field.optional(),
    /** The part of the subnet the engine hands out to containers (docker network create --ip-range). */
    ipRange: cidrField.optional(),
    internal: z.boolean().default(false),
    /** macvlan/ipvlan: the host interface the network sits on (-o parent=eth0). */
    parent: z
      .string()
      .regex(/^[a-zA-Z0-9_.:-]{1,15}$/, 'the parent is a host interface name such as eth0')
      .optional(),
    labels: labelsSchema.default({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.parent && p.driver === 'bridge') {
      ctx.addIssue({ code: 'custom', path: ['parent'], message: 'a parent interface is for macvlan and ipvlan networks only' })
    }
    const subnet = p.subnet === undefined ? null : parseCidr(p.subnet)
    if (!p.subnet && (p.gateway || p.ipRange)) {
      const path = p.gateway ? 'gateway' : 'ipRange'
      ctx.addIssue({ code: 'custom', path: [path], message: 'a gateway or IP range needs a subnet to belong to' })
      return
    }
    if (!subnet) return
    const gateway = p.gateway === undefined ? null : ipv4ToNumber(p.gateway)
    if (gateway !== null && !addressInCidr(subnet, gateway)) {
      ctx.addIssue({ code: 'custom', path: ['gateway'], message: `the gateway ${p.gateway} is outside the subnet ${p.subnet}` })
    }
    const range = p.ipRange === undefined ? null : parseCidr(p.ipRange)
    if (range && !cidrContains(subnet, range)) {
      ctx.addIssue({ code: 'custom', path: ['ipRange'], message: `the IP range ${p.ipRange} is not inside the subnet ${p.subnet}` })
    }
  })
export type NetworkCreate = z.input<typeof networkCreateSchema>

export const networkAttachmentSchema = z.object({
  containerId: z.string(),
  containerName: z.string(),
  /** Without the prefix length; empty when the engine gave none (e.g. a stopped container). */
  ipv4Address: z.string(),
  aliases: z.array(z.string()),
})
export type NetworkAttachment = z.infer<typeof networkAttachmentSchema>

export const networkSubnetSchema = z.object({ subnet: z.string(), gateway: z.string(), ipRange: z.string() })

export const networkSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  internal: z.boolean(),
  subnets: z.array(networkSubnetSchema),
  containers: z.array(networkAttachmentSchema),
  labels: z.record(z.string(), z.string()),
  /** ISO time the engine reports. */
  created: z.string(),
  /** host, none and the default bridge: the engine never removes them. */
  builtIn: z.boolean(),
})
export type NetworkSummary = z.infer<typeof networkSummarySchema>

export const networkDetailSchema = networkSummarySchema.extend({
  attachable: z.boolean(),
  enableIPv6: z.boolean(),
  options: z.record(z.string(), z.string()),
})
export type NetworkDetail = z.infer<typeof networkDetailSchema>

export const networkConnectSchema = z
  .object({
    network: networkRefSchema,
    container: containerRefSchema,
    /** A fixed address (docker network connect --ip); needs a network with a user-set subnet. */
    ipv4Address: ipv4Field.optional(),
    aliases: z.array(networkRefSchema).max(32, 'at most 32 aliases').default([]),
  })
  .strict()

export const networkMethods = {
  'networks.list': method(z.object({}).strict(), z.array(networkSummarySchema)),
  'networks.inspect': method(z.object({ id: networkRefSchema }).strict(), networkDetailSchema),
  'networks.create': method(networkCreateSchema, z.object({ id: z.string(), name: z.string() })),
  'networks.remove': method(z.object({ id: networkRefSchema }).strict(), z.object({ id: z.string() })),
  'networks.connect': method(networkConnectSchema, z.object({ network: z.string(), container: z.string() })),
  'networks.disconnect': method(
    z.object({ network: networkRefSchema, container: containerRefSchema, force: z.boolean().default(false) }).strict(),
    z.object({ network: z.string(), container: z.string() }),
  ),
}

export const networkEvents = {} satisfies Record<string, z.ZodObject>
