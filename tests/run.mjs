#!/usr/bin/env node
// `npm test`: the whole suite. Type-checks, lints, looks for import cycles, builds, runs the
// unit, contract and renderer tests, then the lab's end-to-end tests (real sshd, dockerd, registry, Chromium).
// The lab needs root on Linux (network namespaces, users, dockerd); elsewhere it is skipped
// and this says so. Ends with one summary line: "berth: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const started = Date.now()
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts }).status ?? 1

function step(name, cmd, args) {
  process.stdout.write(`\n== ${name}\n`)
  const code = run(cmd, args)
  if (code !== 0) {
    process.stdout.write(`\nberth: ${name} failed (exit ${code})\n0 passed, 1 failed\n`)
    process.exit(code)
  }
}

const labReason =
  process.platform !== 'linux'
    ? `the lab needs Linux network namespaces (this is ${process.platform})`
    : process.getuid?.() !== 0
      ? 'the lab needs root (it creates network namespaces, users and dockerd instances): run `sudo npm test`'
      : process.env.BERTH_SKIP_LAB
        ? 'BERTH_SKIP_LAB is set'
        : undefined

step('type check', 'npm', ['run', '--silent', 'typecheck'])
step('lint', 'npm', ['run', '--silent', 'lint'])
// the layers' one-way rules are eslint's (eslint.config.js); import cycles are madge's
step('import cycles', 'npx', ['madge', '--circular', '--no-spinner', '--extensions', 'ts,vue', '--ts-config', 'tsconfig.json', 'protocol', 'main', 'agent', 'renderer/src'])
step('build', 'npm', ['run', '--silent', 'build'])

const projects = ['--project', 'unit', '--project', 'renderer']
if (labReason === undefined) projects.push('--project', 'lab')
else process.stdout.write(`\nSKIPPED the lab's end-to-end tests: ${labReason}.\n`)

const report = join(mkdtempSync(join(tmpdir(), 'berth-test-')), 'report.json')
process.stdout.write(`\n== tests (${projects.filter((p) => p !== '--project').join(', ')})\n`)
const code = run('npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`])

let summary = { numPassedTests: 0, numFailedTests: code === 0 ? 0 : 1, numPendingTests: 0, numFailedTestSuites: 0 }
try {
  summary = JSON.parse(readFileSync(report, 'utf8'))
} catch {
  // vitest died before writing its report: the exit code tells
}
const seconds = ((Date.now() - started) / 1000).toFixed(0)
if (labReason !== undefined) process.stdout.write(`(lab skipped: ${labReason})\n`)
process.stdout.write(`whole suite took ${seconds} s\n`)
// a file whose setup failed has no failed test, only skipped ones: count it as a failure
const failed = Math.max(summary.numFailedTests, summary.numFailedTestSuites ?? 0, code === 0 ? 0 : 1)
process.stdout.write(`berth: ${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests} skipped\n`)
process.exit(failed > 0 ? 1 : 0)
