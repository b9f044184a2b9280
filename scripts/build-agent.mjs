#!/usr/bin/env node
// Bundles the agent into one file per release: out/agent/agent.cjs, node-pty's JavaScript
// included. node-pty's native addon is the one file per CPU beside it: the bundle loads it
// from ./build/Release/pty.node (node-pty's own lookup, relative to the bundle), so the
// installer puts the host's CPU's build there. out/agent/pty/linux-<arch>/pty.node holds one
// per CPU Berth has a build for. The agent's version is the package version plus a hash of
// the bundle and the native builds, so any change makes main reinstall it on every host.
// out/agent/manifest.json records version and sha256s for the installer's integrity check.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'out/agent')
const placeholder = '__BERTH_AGENT_VERSION_PLACEHOLDER__'

// Parts of dockerode the agent never reaches, replaced by a module that says so if it ever
// is: BuildKit sessions (grpc, protobuf) and ssh:// engines (ssh2; the agent runs on the
// engine's host). They were a third of the bundle and ~8 MB of the agent's idle memory.
const UNUSED = /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs(\/.*)?|ssh2)$/
const unusedModules = {
  name: 'unused-modules',
  setup(b) {
    b.onResolve({ filter: UNUSED }, (args) => ({ path: args.path, namespace: 'unused' }))
    b.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not part of Berth's agent`)}) }\nmodule.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : fail) })\n`,
      loader: 'js',
    }))
  },
}

const result = await build({
  entryPoints: [join(root, 'agent/runtime/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  write: false,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // native parts are optional in ssh2 (pulled in by docker-modem) and never used by the agent;
  // node-pty's addon is loaded at run time from beside the bundle
  external: ['cpu-features', '*.node'],
  plugins: [unusedModules],
  define: { __BERTH_AGENT_VERSION__: JSON.stringify(placeholder) },
  logLevel: 'warning',
})

const text = result.outputFiles[0].text
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const sha = (data) => createHash('sha256').update(data).digest('hex')

// The addons are built here (cross-built for ARM: Raspberry Pis) when the compilers are present
// and a build is missing, older than the installed node-pty or build-pty.sh, or from another
// node-pty version; without the compilers the agent still builds, and those hosts get exec and
// attach but no host shell (x64 falls back to npm's own build, which needs glibc 2.34).
const crossCompilers = {
  x64: { cxx: 'x86_64-linux-gnu-g++', debianPackage: 'g++' },
  arm64: { cxx: 'aarch64-linux-gnu-g++', debianPackage: 'g++-aarch64-linux-gnu' },
  arm: { cxx: 'arm-linux-gnueabihf-g++', debianPackage: 'g++-arm-linux-gnueabihf' },
}
const onPath = (cmd) => (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, cmd)))
const ptyPackage = join(root, 'node_modules/node-pty/package.json')
const ptyVersion = JSON.parse(readFileSync(ptyPackage, 'utf8')).version
const newestInput = Math.max(statSync(ptyPackage).mtimeMs, statSync(join(root, 'scripts/build-pty.sh')).mtimeMs)
const stale = Object.keys(crossCompilers).filter((arch) => {
  const out = join(root, `build/pty/linux-${arch}/pty.node`)
  const stamp = join(root, `build/pty/linux-${arch}/node-pty-version`)
  if (!existsSync(out) || statSync(out).mtimeMs < newestInput || !existsSync(stamp)) return true
  return readFileSync(stamp, 'utf8').trim() !== ptyVersion
})
const unbuildable = stale.filter((arch) => !onPath(crossCompilers[arch].cxx))
if (unbuildable.length > 0) {
  const missing = unbuildable.map((arch) => crossCompilers[arch].cxx).join(' and ')
  const packages = unbuildable.map((arch) => crossCompilers[arch].debianPackage).join(' ')
  console.log(`node-pty not cross-built for linux-${unbuildable.join(', linux-')}: no ${missing} (apt-get install ${packages})`)
}
const buildable = stale.filter((arch) => !unbuildable.includes(arch))
if (buildable.length > 0) execFileSync('bash', [join(root, 'scripts/build-pty.sh'), ...buildable], { stdio: 'inherit' })

// node-pty's addon, per CPU (Node's process.arch names): this machine's own build, and any
// cross-built by scripts/build-pty.sh into build/pty/linux-<arch>/pty.node
const ptyBuilds = {}
const candidates = { [process.arch]: join(root, 'node_modules/node-pty/build/Release/pty.node') }
for (const arch of ['x64', 'arm64', 'arm']) {
  const cross = join(root, `build/pty/linux-${arch}/pty.node`)
  if (existsSync(cross)) candidates[arch] = cross
}
for (const [arch, from] of Object.entries(candidates)) {
  if (!existsSync(from)) continue
  const rel = `pty/linux-${arch}/pty.node`
  mkdirSync(join(outDir, `pty/linux-${arch}`), { recursive: true })
  copyFileSync(from, join(outDir, rel))
  ptyBuilds[arch] = { file: rel, sha256: sha(readFileSync(from)) }
}
// the local host's agent runs from out/agent itself
if (ptyBuilds[process.arch]) {
  mkdirSync(join(outDir, 'build/Release'), { recursive: true })
  copyFileSync(join(outDir, ptyBuilds[process.arch].file), join(outDir, 'build/Release/pty.node'))
}
const contentHash = sha(text + JSON.stringify(ptyBuilds)).slice(0, 12)
const version = `${pkg.version}-${contentHash}`
const bundle = `#!/usr/bin/env node\n${text.replaceAll(placeholder, version)}`
const sha256 = createHash('sha256').update(bundle).digest('hex')

mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'agent.cjs'), bundle, { mode: 0o755 })
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ version, sha256, file: 'agent.cjs', pty: ptyBuilds }, null, 2)}\n`)
console.log(`agent ${version}: out/agent/agent.cjs (${(bundle.length / 1024).toFixed(0)} KiB, sha256 ${sha256.slice(0, 16)}…), node-pty for ${Object.keys(ptyBuilds).join(', ') || 'no CPU'}`)
