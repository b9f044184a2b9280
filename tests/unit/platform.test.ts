/**
 * CPU architecture names from every dialect (Node, uname -m, qemu, the engine's Go names and
 * variants) come out as Berth's one name, and the host-to-host image copy decides with them
 * as the run form does: a host that emulates the image's architecture is a fine target.
 */
import { describe, expect, it } from 'vitest'
import { copyRefusal } from '../../main/core/image-transfers'
import { archFamily, archFit, archOfNode, normalizeArch, platformOf } from '../../protocol/platform'

describe('architecture names', () => {
  it.each([
    ['amd64', undefined, 'amd64'],
    ['x86_64', undefined, 'amd64'],
    ['x64', undefined, 'amd64'],
    ['aarch64', undefined, 'arm64'],
    ['arm64', 'v8', 'arm64'],
    ['arm', undefined, 'armv7'],
    ['arm', 'v7', 'armv7'],
    ['arm', 'v6', 'armv6'],
    ['arm', '6', 'armv6'],
    ['armv7l', undefined, 'armv7'],
    ['armv6l', undefined, 'armv6'],
    ['arm/v7', undefined, 'armv7'],
    ['armhf', undefined, 'armv7'],
    ['i686', undefined, '386'],
    ['ia32', undefined, '386'],
    ['mips64el', undefined, 'mips64le'],
    ['ppc64le', undefined, 'ppc64le'],
    ['ppc64', undefined, 'ppc64'],
    ['S390X', undefined, 's390x'],
    ['riscv64', undefined, 'riscv64'],
  ])('%s (variant %s) is %s', (name, variant, expected) => {
    expect(normalizeArch(name, variant)).toBe(expected)
  })

  it("reads Node's ppc64 as the little-endian POWER that runs Docker, and Node's arm with its arm_version", () => {
    expect(archOfNode('ppc64')).toBe('ppc64le')
    expect(archOfNode('arm', '6')).toBe('armv6')
    expect(archOfNode('arm')).toBe('armv7')
    expect(archOfNode('x64')).toBe('amd64')
  })

  it('gives the --platform of a name, with 32-bit ARM as arm/vN', () => {
    expect(platformOf('armv7')).toBe('linux/arm/v7')
    expect(platformOf('arm')).toBe('linux/arm/v7')
    expect(platformOf('x86_64')).toBe('linux/amd64')
    expect(platformOf('arm64')).toBe('linux/arm64')
  })

  it('puts every 32-bit ARM in one family, apart from arm64', () => {
    expect(archFamily('armv6')).toBe('arm')
    expect(archFamily('arm', 'v7')).toBe('arm')
    expect(archFamily('arm64')).toBe('arm64')
    expect(archFamily('aarch64')).toBe('arm64')
  })

  it('tells native, emulated, foreign and unknown apart', () => {
    expect(archFit('arm', { arch: 'armv7' })).toBe('native')
    expect(archFit('amd64', { arch: 'amd64' })).toBe('native')
    expect(archFit('arm64', { arch: 'amd64', emulated: ['arm', 'arm64'] })).toBe('emulated')
    expect(archFit('armv7', { arch: 'amd64', emulated: ['arm'] })).toBe('emulated')
    expect(archFit('arm64', { arch: 'amd64', emulated: ['arm'] })).toBe('foreign')
    expect(archFit('arm64', { arch: 'amd64' })).toBe('foreign')
    expect(archFit(undefined, { arch: 'amd64' })).toBe('unknown')
    expect(archFit('arm64', { })).toBe('unknown')
  })
})

describe('copying an image to another host', () => {
  const target = { name: 'pi', arch: 'amd64' }

  it('allows a host of the same architecture, whatever its dialect or variant', () => {
    expect(copyRefusal('app:1', normalizeArch('arm', 'v7'), { name: 'pi', arch: 'armv7' })).toBeUndefined()
    expect(copyRefusal('app:1', 'amd64', target)).toBeUndefined()
  })

  it('allows a host that runs the image emulated with qemu, as the run form does', () => {
    expect(copyRefusal('app:1', 'arm64', { ...target, emulated: ['arm64'] })).toBeUndefined()
    expect(copyRefusal('app:1', normalizeArch('arm', 'v6'), { ...target, emulated: ['arm'] })).toBeUndefined()
  })

  it('refuses a host that could not run it, saying both architectures', () => {
    const refusal = copyRefusal('app:1', 'arm64', { ...target, emulated: ['arm'] })
    expect(refusal?.code).toBe('CONFLICT')
    expect(refusal?.message).toContain('app:1 is built for arm64, and pi runs amd64')
    expect(refusal?.detail).toEqual({ imagePlatform: 'arm64', hostArch: 'amd64' })
  })

  it('lets the copy go on when the target has not said its architecture yet', () => {
    expect(copyRefusal('app:1', 'arm64', { name: 'new' })).toBeUndefined()
  })
})
