/**
 * Starts the lab (namespace hosts with sshd and dockerd, a registry, seeded images and
 * containers) before the lab tests and always tears it down after them, pass or fail.
 *
 * BERTH_LAB_REUSE=1 uses a lab that is already up (tests/lab/up.sh) and leaves it up: for
 * running one test file again and again while working on it.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { LAB_JSON } from './support/lab'

const labDir = import.meta.dirname

export function setup(): (() => void) | undefined {
  if (process.env.BERTH_LAB_REUSE === '1' && existsSync(LAB_JSON)) {
    process.stdout.write('reusing the lab that is up (BERTH_LAB_REUSE=1)\n')
    return undefined
  }
  const started = Date.now()
  execFileSync('bash', [join(labDir, 'up.sh')], { stdio: 'inherit' })
  process.stdout.write(`lab up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  return () => {
    execFileSync('bash', [join(labDir, 'down.sh')], { stdio: 'inherit' })
  }
}
