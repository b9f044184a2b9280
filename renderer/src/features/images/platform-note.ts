/**
 * Whether an image's CPU architecture suits a host, said before anything runs: an image for
 * another architecture fails at start with "exec format error", unless the host has qemu
 * registered with binfmt_misc, where it runs emulated (slower).
 */
import { parseImageReference } from '../../../../protocol/image-reference'
import { archFit, platformOf } from '../../../../protocol/platform'
import type { HostView, ImageRow } from '../../../../protocol/schema'

export interface PlatformNote {
  level: 'warning' | 'info'
  text: string
}

export function platformNote(imageArch: string | undefined, host: Pick<HostView, 'arch' | 'emulated'> | undefined, what: string): PlatformNote | null {
  const fit = archFit(imageArch, host)
  if (!host?.arch || fit === 'native' || fit === 'unknown') return null
  const hostArch = host.arch
  if (fit === 'emulated') {
    return { level: 'info', text: `${what} is built for ${imageArch}; this ${hostArch} host runs it emulated (qemu through binfmt_misc): it works, more slowly.` }
  }
  return {
    level: 'warning',
    text:
      `${what} is built for ${imageArch}, and this host runs ${hostArch}: its programs would fail to start with "exec format error". ` +
      `Pull the ${hostArch} variant (docker pull --platform ${platformOf(hostArch)}), or set up emulation (qemu binfmt_misc) on the host.`,
  }
}

/** The local image a run form's reference names, if the host has it. */
export function localImage(reference: string, rows: ImageRow[]): ImageRow | undefined {
  const parsed = parseImageReference(reference.trim())
  if (!parsed.ok) return undefined
  const wanted = `${parsed.ref.familiarName}:${parsed.ref.tag ?? 'latest'}`
  return rows.find((r) => `${r.repository}:${r.tag}` === wanted)
}
