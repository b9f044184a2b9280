/**
 * Which foreign architectures this host can run: the qemu interpreters registered with the
 * kernel's binfmt_misc (what docker/binfmt or qemu-user-static install). An image for one of
 * them runs, emulated and slower; for any other it fails with "exec format error".
 */
import { readdir, readFile } from 'node:fs/promises'
import { archFamily, IMAGE_ARCH_FAMILIES } from '../../protocol/platform'

const BINFMT = '/proc/sys/fs/binfmt_misc'

export async function emulatedArchitectures(dir = BINFMT): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const found = new Set<string>()
  for (const name of names) {
    const qemu = /^qemu-(.+)$/.exec(name)?.[1]
    // qemu-arm runs every 32-bit ARM variant: its family says so; qemu-ppc64 (big-endian) is no Docker platform
    const arch = qemu ? archFamily(qemu) : undefined
    if (!arch || !IMAGE_ARCH_FAMILIES.has(arch)) continue
    const entry = await readFile(`${dir}/${name}`, 'utf8').catch(() => '')
    if (entry.startsWith('enabled')) found.add(arch)
  }
  return [...found].sort()
}
