#!/usr/bin/env node
// Bundles the agent into one file per release: out/agent/agent.cjs (node-pty, a native
// addon, stays outside the bundle). The agent's version is the package version plus a hash
// of the bundle, so any change to the agent makes main reinstall it on every host.
// out/agent/manifest.json records version and sha256 for the installer's integrity check.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'out/agent')
const placeholder = '__BERTH_AGENT_VERSION_PLACEHOLDER__'

const result = await build({
  entryPoints: [join(root, 'agent/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  write: false,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // native parts are optional in ssh2 (pulled in by docker-modem) and never used by the agent
  external: ['node-pty', 'cpu-features', '*.node'],
  define: { __BERTH_AGENT_VERSION__: JSON.stringify(placeholder) },
  logLevel: 'warning',
})

const text = result.outputFiles[0].text
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const contentHash = createHash('sha256').update(text).digest('hex').slice(0, 12)
const version = `${pkg.version}-${contentHash}`
const bundle = `#!/usr/bin/env node\n${text.replaceAll(placeholder, version)}`
const sha256 = createHash('sha256').update(bundle).digest('hex')

mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'agent.cjs'), bundle, { mode: 0o755 })
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ version, sha256, file: 'agent.cjs' }, null, 2)}\n`)
console.log(`agent ${version}: out/agent/agent.cjs (${(bundle.length / 1024).toFixed(0)} KiB, sha256 ${sha256.slice(0, 16)}…)`)
