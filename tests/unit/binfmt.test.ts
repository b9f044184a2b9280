import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { emulatedArchitectures } from '../../agent/engine/binfmt'

describe('architectures a host runs emulated', () => {
  it('reads the enabled qemu interpreters of binfmt_misc, in Docker names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'binfmt-'))
    writeFileSync(join(dir, 'qemu-aarch64'), 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\n')
    writeFileSync(join(dir, 'qemu-arm'), 'disabled\ninterpreter /usr/bin/qemu-arm-static\n')
    writeFileSync(join(dir, 'qemu-riscv64'), 'enabled\ninterpreter /usr/bin/qemu-riscv64-static\n')
    writeFileSync(join(dir, 'python3.11'), 'enabled\ninterpreter /usr/bin/python3.11\n')
    writeFileSync(join(dir, 'status'), 'enabled\n')
    expect(await emulatedArchitectures(dir)).toEqual(['arm64', 'riscv64'])
  })

  it('finds none where binfmt_misc is not mounted', async () => {
    expect(await emulatedArchitectures('/nonexistent/binfmt_misc')).toEqual([])
  })
})
