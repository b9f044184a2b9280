/**
 * CPU architecture names, in one place. Berth names a CPU as Docker does (`amd64`, `arm64`,
 * `386`, `ppc64le`...), with 32-bit ARM told apart by its variant (`armv7`, `armv6`) as
 * Raspberry Pi users know it. Everything else speaks its own dialect: Node's process.arch
 * (`x64`, `ia32`), `uname -m` and qemu (`x86_64`, `aarch64`, `armv7l`), the engine's Go names
 * with a separate variant (`arm` + `v7`). Every such name goes through here before it is
 * shown or compared. Pure TypeScript: main, agent and renderer all import it.
 */

/** Other names for Docker's architectures: uname -m, qemu, Node, Debian. */
const ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  x64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i386: '386',
  i686: '386',
  ia32: '386',
  mips64el: 'mips64le',
  mipsel: 'mipsle',
  armhf: 'armv7',
}

/** The architecture families Docker publishes images for (32-bit ARM as one family, `arm`). */
export const IMAGE_ARCH_FAMILIES: ReadonlySet<string> = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le'])

/** What Docker assumes for 32-bit ARM when no variant is said (`linux/arm` is `linux/arm/v7`). */
const DEFAULT_ARM_VARIANT = '7'

/**
 * Berth's name for an architecture given in any of the dialects above, with the variant
 * where one comes separately (the engine's `v7`, Node's arm_version `7`). A name it does
 * not know comes back as it was, lower-cased.
 */
export function normalizeArch(name: string, variant?: string | number): string {
  const lower = name.trim().toLowerCase()
  // arm, armv7, armv7l, armv6l, arm/v7: all 32-bit ARM (arm64 and aarch64 are not)
  const arm = /^arm(?:\/?v(\d+)l?)?$/.exec(lower)
  if (arm) return `armv${arm[1] ?? (variant === undefined || variant === '' ? DEFAULT_ARM_VARIANT : String(variant).replace(/^v/, ''))}`
  return ALIASES[lower] ?? lower
}

/**
 * Node's process.arch in Berth's words. Node says `ppc64` for both byte orders; Linux on
 * POWER that runs Docker is little-endian, while everyone else's `ppc64` is big-endian (so
 * this is kept out of normalizeArch, where qemu's `ppc64` must stay big-endian).
 */
export function archOfNode(nodeArch: string, armVersion?: string | number): string {
  return nodeArch === 'ppc64' ? 'ppc64le' : normalizeArch(nodeArch, armVersion)
}

/** The `--platform` a Berth architecture name stands for: armv7 is linux/arm/v7. */
export function platformOf(arch: string, os = 'linux'): string {
  const normal = normalizeArch(arch)
  const arm = /^armv(\d+)$/.exec(normal)
  return arm ? `${os}/arm/v${arm[1]}` : `${os}/${normal}`
}

/** The `--platform` of the CPU a Node process runs on (for messages about that CPU). */
export function nodePlatform(nodeArch: string, armVersion?: string | number): string {
  return platformOf(archOfNode(nodeArch, armVersion))
}

/**
 * The family an architecture belongs to, for deciding whether a program runs: every 32-bit
 * ARM is `arm` (an armv7 host runs armv6 images, and images rarely say their variant).
 */
export function archFamily(name: string, variant?: string | number): string {
  const normal = normalizeArch(name, variant)
  return normal.startsWith('armv') ? 'arm' : normal
}

export function sameArch(a: string, b: string): boolean {
  return archFamily(a) === archFamily(b)
}

/**
 * How a host would run an image built for `imageArch`: natively, emulated (qemu registered
 * with binfmt_misc), not at all ("exec format error"), or unknown when either side is.
 */
export type ArchFit = 'native' | 'emulated' | 'foreign' | 'unknown'

export function archFit(imageArch: string | undefined, host: { arch?: string; emulated?: string[] } | undefined): ArchFit {
  const hostArch = host?.arch
  if (!imageArch || !hostArch) return 'unknown'
  if (sameArch(imageArch, hostArch)) return 'native'
  return host.emulated?.some((a) => sameArch(a, imageArch)) ? 'emulated' : 'foreign'
}
