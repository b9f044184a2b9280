/**
 * Which foreign architectures this host can run: the qemu interpreters registered with the
 * kernel's binfmt_misc (what docker/binfmt or qemu-user-static install). An image for one of
 * them runs, emulated and slower; for any other it fails with "exec format error".
 */
import { readdir, readFile } from 'node:fs/promises'

const BINFMT = '/proc/sys/fs/binfmt_misc'

/** qemu's names for its user-mode emulators, in Docker's architecture names. */
const QEMU_TO_DOCKER: Record<string, string> = {
  aarch64: 'arm64',
  arm: 'arm',
  x86_64: 'amd64',
  i386: '386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64el: 'mips64le',
}

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
    const arch = qemu ? QEMU_TO_DOCKER[qemu] : undefined
    if (!arch) continue
    const entry = await readFile(`${dir}/${name}`, 'utf8').catch(() => '')
    if (entry.startsWith('enabled')) found.add(arch)
  }
  return [...found].sort()
}
