/**
 * registry.manifest: the index digest, each platform's manifest digest, size and layers of a
 * reference, read from its registry before anything is pulled, with the platform this host's
 * engine would pick marked.
 *
 * The agent asks the registry itself (it runs on the host, so it reaches what the engine
 * reaches) over http exactly where the engine would: registries the engine lists as insecure
 * (127.0.0.0/8 and its insecure-registry CIDRs and names, from `docker info`), https elsewhere.
 */
import type Docker from 'dockerode'
import type { ManifestLayer, ManifestReport, PlatformManifest } from '../../protocol/schema'
import { BerthError } from '../../protocol/errors'
import { DEFAULT_REGISTRY, parseImageReference } from '../../protocol/image-reference'
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, RegistryClient, type FetchedManifest } from './client'

/** Docker Hub's API lives on another name than the one in references. */
const DOCKER_HUB_API = 'https://registry-1.docker.io'

interface RegistryConfig {
  InsecureRegistryCIDRs?: string[]
  IndexConfigs?: Record<string, { Secure?: boolean }>
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/')
  const address = ipv4ToNumber(ip)
  const network = ipv4ToNumber(base ?? '')
  const bits = Number(bitsText ?? 32)
  if (address === undefined || network === undefined || !(bits >= 0 && bits <= 32)) return false
  const size = 2 ** (32 - bits)
  return Math.floor(address / size) === Math.floor(network / size)
}

/** Whether the engine talks plain http to this registry (host[:port]). */
export function isInsecureRegistry(domain: string, config: RegistryConfig): boolean {
  if (config.IndexConfigs?.[domain]?.Secure === false) return true
  const host = domain.replace(/:\d+$/, '')
  const ip = host === 'localhost' ? '127.0.0.1' : host
  const cidrs = config.InsecureRegistryCIDRs ?? ['127.0.0.0/8']
  return cidrs.some((cidr) => inCidr(ip, cidr))
}

export function registryBaseUrl(domain: string, insecure: boolean): string {
  if (domain === DEFAULT_REGISTRY) return DOCKER_HUB_API
  return `${insecure ? 'http' : 'https'}://${domain}`
}

interface Descriptor {
  mediaType?: string
  digest?: string
  size?: number
  platform?: { os?: string; architecture?: string; variant?: string }
}

function layersOf(manifest: FetchedManifest): ManifestLayer[] {
  const layers = (manifest.body.layers ?? []) as Descriptor[]
  return layers.map((l) => ({ digest: String(l.digest), size: Number(l.size ?? 0), mediaType: String(l.mediaType ?? '') }))
}

function platformText(os: string, architecture: string, variant?: string): string {
  return `${os}/${architecture}${variant ? `/${variant}` : ''}`
}

/** The engine's own platform; its variant only matters on arm, where it reports none here. */
async function hostPlatform(docker: Docker): Promise<{ os: string; architecture: string }> {
  const version = await docker.version()
  return { os: version.Os, architecture: version.Arch }
}

export async function manifestReport(docker: Docker, reference: string, platform?: string): Promise<ManifestReport> {
  const parsed = parseImageReference(reference)
  if (!parsed.ok) throw new BerthError('INVALID_INPUT', parsed.message)
  const ref = parsed.ref
  const [info, host] = await Promise.all([docker.info() as Promise<{ RegistryConfig?: RegistryConfig }>, hostPlatform(docker)])
  const insecure = isInsecureRegistry(ref.domain, info.RegistryConfig ?? {})
  const client = new RegistryClient(registryBaseUrl(ref.domain, insecure), ref.path)
  const top = await client.manifest(ref.digest ?? ref.tag ?? 'latest', [...INDEX_MEDIA_TYPES, ...MANIFEST_MEDIA_TYPES])
  const isIndex = INDEX_MEDIA_TYPES.includes(top.mediaType) || Array.isArray(top.body.manifests)
  const hostText = platformText(host.os, host.architecture)

  let platforms: PlatformManifest[]
  if (isIndex) {
    // attestation manifests (os "unknown") are not platforms anyone can pull
    const children = ((top.body.manifests ?? []) as Descriptor[]).filter((d) => d.platform && d.platform.os !== 'unknown')
    platforms = await Promise.all(
      children.map(async (d) => {
        const child = await client.manifest(String(d.digest), MANIFEST_MEDIA_TYPES)
        const p = d.platform!
        return toPlatform(p.os ?? '', p.architecture ?? '', p.variant, child, host)
      }),
    )
  } else {
    const configDigest = (top.body.config as Descriptor | undefined)?.digest
    // a single-platform tag says its platform only in its config blob; the engine's view is enough
    const dist = configDigest ? await distributionPlatform(docker, ref.full) : undefined
    platforms = [toPlatform(dist?.os ?? host.os, dist?.architecture ?? host.architecture, dist?.variant, top, host)]
  }
  if (platform) {
    platforms = platforms.filter((p) => p.platform === platform || `${p.os}/${p.architecture}` === platform)
    if (platforms.length === 0) throw new BerthError('NOT_FOUND', `${ref.familiar} has no manifest for platform ${platform}`)
  }
  return {
    reference: ref.full,
    registry: ref.domain,
    repository: ref.path,
    digest: top.digest,
    mediaType: top.mediaType,
    isIndex,
    hostPlatform: hostText,
    platforms,
  }
}

function toPlatform(
  os: string,
  architecture: string,
  variant: string | undefined,
  manifest: FetchedManifest,
  host: { os: string; architecture: string },
): PlatformManifest {
  const layers = layersOf(manifest)
  return {
    os,
    architecture,
    ...(variant ? { variant } : {}),
    platform: platformText(os, architecture, variant),
    digest: manifest.digest,
    mediaType: manifest.mediaType,
    size: manifest.size,
    layersSize: layers.reduce((sum, l) => sum + l.size, 0),
    layers,
    thisHost: os === host.os && architecture === host.architecture,
  }
}

async function distributionPlatform(docker: Docker, reference: string): Promise<{ os: string; architecture: string; variant?: string } | undefined> {
  try {
    const dist = (await docker.getImage(reference).distribution()) as { Platforms?: { os?: string; architecture?: string; variant?: string }[] }
    const p = dist.Platforms?.[0]
    return p?.os && p.architecture ? { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) } : undefined
  } catch {
    return undefined
  }
}
