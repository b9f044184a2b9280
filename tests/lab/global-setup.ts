/**
 * Starts the lab (namespace hosts with sshd and dockerd, a registry, seeded images and
 * containers) before the lab tests and always tears it down after them, pass or fail.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const labDir = join(import.meta.dirname, '.')

export function setup(): () => void {
  const started = Date.now()
  execFileSync('bash', [join(labDir, 'up.sh')], { stdio: 'inherit' })
  process.stdout.write(`lab up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  return () => {
    execFileSync('bash', [join(labDir, 'down.sh')], { stdio: 'inherit' })
  }
}
