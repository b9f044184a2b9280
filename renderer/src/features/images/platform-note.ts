/**
 * Whether an image's CPU architecture suits a host, said before anything runs: an image for
 * another architecture fails at start with "exec format error", unless the host has qemu
 * registered with binfmt_misc, where it runs emulated (slower).
 */
import { parseImageReference } from '../../../../protocol/image-reference'
import type { HostView, ImageRow } from '../../../../protocol/schema'

/** Docker says "arm" for 32-bit ARM images; Berth shows hosts' as armv7. */
const base = (arch: string): string => (arch.startsWith('arm') && arch !== 'arm64' ? 'arm' : arch)

export interface PlatformNote {
  level: 'warning' | 'info'
  text: string
}

export function platformNote(imageArch: string | undefined, host: Pick<HostView, 'arch' | 'emulated'> | undefined, what: string): PlatformNote | null {
  const hostArch = host?.arch
  if (!imageArch || !hostArch || base(imageArch) === base(hostArch)) return null
  if (host.emulated?.some((a) => base(a) === base(imageArch))) {
    return { level: 'info', text: `${what} is built for ${imageArch}; this ${hostArch} host runs it emulated (qemu through binfmt_misc): it works, more slowly.` }
  }
  return {
    level: 'warning',
    text:
      `${what} is built for ${imageArch}, and this host runs ${hostArch}: its programs would fail to start with "exec format error". ` +
      `Pull the ${hostArch} variant (docker pull --platform linux/${hostArch}), or set up emulation (qemu binfmt_misc) on the host.`,
  }
}

/** The local image a run form's reference names, if the host has it. */
export function localImage(reference: string, rows: ImageRow[]): ImageRow | undefined {
  const parsed = parseImageReference(reference.trim())
  if (!parsed.ok) return undefined
  const wanted = `${parsed.ref.familiarName}:${parsed.ref.tag ?? 'latest'}`
  return rows.find((r) => `${r.repository}:${r.tag}` === wanted)
}
