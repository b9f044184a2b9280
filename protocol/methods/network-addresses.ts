/**
 * IPv4 address and CIDR checks for network forms, with messages a user can act on. Pure
 * TypeScript: the renderer validates with the same code before anything is sent.
 */

/** The 32-bit value of a dotted IPv4 address, or null when it is not one. */
export function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null
    const n = Number(part)
    if (n > 255) return null
    value = value * 256 + n
  }
  return value
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.')
}

export interface Ipv4Cidr {
  base: number
  prefix: number
  /** Count of addresses in the block. */
  size: number
}

export function parseCidr(text: string): Ipv4Cidr | null {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text)
  if (!match) return null
  const base = ipv4ToNumber(match[1]!)
  const prefix = Number(match[2])
  if (base === null || prefix > 32) return null
  return { base, prefix, size: 2 ** (32 - prefix) }
}

/** Why `text` is not a usable IPv4 subnet, or null when it is one. */
export function cidrProblem(text: string): string | null {
  if (!text.includes('/')) return `${text} has no prefix length: write it as a subnet such as 172.30.0.0/24`
  const cidr = parseCidr(text)
  if (!cidr) return `${text} is not an IPv4 subnet in CIDR form, such as 172.30.0.0/24`
  const network = cidr.base - (cidr.base % cidr.size)
  if (network !== cidr.base) return `${text} has host bits set: the subnet is ${numberToIpv4(network)}/${cidr.prefix}`
  return null
}

export function ipv4Problem(text: string): string | null {
  return ipv4ToNumber(text) === null ? `${text} is not an IPv4 address, such as 172.30.0.1` : null
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size
}

export function addressInCidr(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.base && address < cidr.base + cidr.size
}
