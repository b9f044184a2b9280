/**
 * Installs the agent on a host over the SSH connection: detects the CPU architecture and
 * Node.js, uploads the bundle (by SFTP, else through exec channels) into a per-version
 * directory private to the user (0700), checks its sha256 on the host, and reaches its daemon.
 * A host that already has this exact version is left alone: installing twice is a no-op.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { BerthError } from '../../../protocol/errors'
import { describePathProblem, type PathProblem, UNSAFE_EXIT_CODE } from '../../../agent/runtime/private-paths'
import type { SshConnection } from '../ssh/connection'
import { remoteSha256, shQuote, type Upload, upload } from './remote-files'

export const MIN_NODE_MAJOR = 18

export interface AgentBundle {
  version: string
  sha256: string
  file: string
  /** node-pty's native addon per CPU (Node's arch names): local path and sha256. */
  pty: Record<string, { file: string; sha256: string }>
}

export async function loadAgentBundle(agentDir: string): Promise<AgentBundle> {
  try {
    const manifest = JSON.parse(await readFile(join(agentDir, 'manifest.json'), 'utf8')) as AgentBundle
    const pty = Object.fromEntries(
      Object.entries(manifest.pty ?? {}).map(([arch, build]) => [arch, { file: join(agentDir, build.file), sha256: build.sha256 }]),
    )
    return { version: manifest.version, sha256: manifest.sha256, file: join(agentDir, manifest.file), pty }
  } catch (err) {
    throw new BerthError('INTERNAL', `the agent bundle is missing in ${agentDir} (run npm run build): ${(err as Error).message}`)
  }
}

export interface RemotePlatform {
  /** `uname -m`: the kernel's machine name. */
  machine: string
  /** Node's process.arch on the host: the userspace architecture. */
  nodeArch: string
  nodeVersion: string
  home: string
  /** The probe found this version's files in place, each with the expected sha256. */
  installed?: boolean
  /** The probe reached this version's daemon on its socket. */
  daemonSocket?: string
}

/**
 * Everything a connect needs to know, in one exec and one Node.js start (each costs a round
 * trip and, on a Pi, a good part of a second): the platform, whether ~/.berth, the version's
 * folder and its socket are this user's alone (agent/runtime/private-paths.ts has the why and
 * the same checks for the agent itself), whether this version's files are in place with the
 * right sha256, and whether its daemon answers. Written for any Node.js the host may have, so
 * that an old one still reports its version rather than a syntax error.
 */
const PROBE_SCRIPT = `(function () {
  var arch = process.arch, v = process.argv[1], want = JSON.parse(process.argv[2]);
  console.log(arch + " " + process.versions.node);
  var fs = require("fs"), crypto = require("crypto");
  var base = process.env.HOME + "/.berth", dir = base + "/agent/" + v + "-linux-" + arch, sock = dir + "/agent.sock";
  function problem(path, kind) {
    var s; try { s = fs.lstatSync(path) } catch (e) { return "" }
    if (s.isSymbolicLink()) return "is a symbolic link";
    if (kind === "folder" ? !s.isDirectory() : !s.isSocket()) return "is not a " + kind;
    if (s.uid !== process.getuid()) return "belongs to another user (uid " + s.uid + ")";
    if (s.mode & 63) return "is open to other users (mode " + (s.mode & 511).toString(8) + ")";
    return "";
  }
  var checks = [[base, "folder"], [base + "/agent", "folder"], [dir, "folder"], [sock, "socket"]];
  for (var i = 0; i < checks.length; i++) {
    var p = problem(checks[i][0], checks[i][1]);
    if (p) return console.log("unsafe " + JSON.stringify({ path: checks[i][0], problem: p, kind: checks[i][1] }));
  }
  function sha(f) { try { return crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex") } catch (e) { return "missing" } }
  var pty = want.pty[arch];
  if (sha(dir + "/agent.cjs") !== want.agent || (pty && sha(dir + "/build/Release/pty.node") !== pty)) return console.log("install");
  var socket = require("net").connect(sock);
  socket.on("connect", function () { console.log("daemon " + sock); socket.destroy() });
  socket.on("error", function () { console.log("installed") });
})()`

export async function probeHost(conn: SshConnection, bundle: AgentBundle): Promise<RemotePlatform> {
  const want = JSON.stringify({ agent: bundle.sha256, pty: Object.fromEntries(Object.entries(bundle.pty).map(([a, p]) => [a, p.sha256])) })
  const result = await conn.exec(`uname -m; echo "$HOME"; node -e ${shQuote(PROBE_SCRIPT)} ${shQuote(bundle.version)} ${shQuote(want)}`)
  const [machine = '', home = '', nodeLine = '', installLine = ''] = result.stdout.split('\n').map((l) => l.trim())
  const [nodeArch, nodeVersion] = nodeLine.split(' ')
  if (!home.startsWith('/')) throw new BerthError('UNSUPPORTED', `could not find the home directory on the host (got "${home}")`)
  if (!nodeArch || !nodeVersion) {
    throw new BerthError(
      'UNSUPPORTED',
      `Node.js ${MIN_NODE_MAJOR} or newer is needed on the host to run Berth's agent, and no \`node\` was found in the login PATH. ` +
        'Install it (for example `sudo apt install nodejs`) and connect again.',
      { machine },
    )
  }
  const major = Number(nodeVersion.split('.')[0])
  if (!(major >= MIN_NODE_MAJOR)) {
    throw new BerthError(
      'UNSUPPORTED',
      `the host has Node.js ${nodeVersion}; Berth's agent needs ${MIN_NODE_MAJOR} or newer. Upgrade Node.js on the host and connect again.`,
      { machine, nodeVersion },
    )
  }
  if (installLine.startsWith('unsafe ')) {
    const problem = JSON.parse(installLine.slice('unsafe '.length)) as PathProblem
    throw new BerthError('PERMISSION_DENIED', describePathProblem(problem), { path: problem.path })
  }
  const platform: RemotePlatform = { machine, nodeArch, nodeVersion, home }
  if (installLine === 'installed' || installLine.startsWith('daemon /')) platform.installed = true
  if (installLine.startsWith('daemon /')) platform.daemonSocket = installLine.slice('daemon '.length)
  return platform
}

export function agentInstallDir(platform: RemotePlatform, bundle: AgentBundle): string {
  return `${platform.home}/.berth/agent/${bundle.version}-linux-${platform.nodeArch}`
}

export interface InstallResult {
  path: string
  /** False when this version was already there and nothing was uploaded. */
  uploaded: boolean
}

export async function installAgent(conn: SshConnection, bundle: AgentBundle, platform: RemotePlatform): Promise<InstallResult> {
  const dir = agentInstallDir(platform, bundle)
  const path = `${dir}/agent.cjs`
  const items: Upload[] = [{ from: bundle.file, to: path, sha256: bundle.sha256, mode: 0o600 }]
  // node-pty's addon for this CPU, where the bundle loads it; without one, host shells say so
  const pty = bundle.pty[platform.nodeArch]
  if (pty) items.push({ from: pty.file, to: `${dir}/build/Release/pty.node`, sha256: pty.sha256, mode: 0o600 })
  if (platform.installed) return { path, uploaded: false }
  const present = await remoteSha256(conn, items.map((i) => i.to))
  const missing = items.filter((item, i) => present[i] !== item.sha256)
  if (missing.length === 0) return { path, uploaded: false }

  const base = `${platform.home}/.berth`
  const mk = await conn.exec(
    `umask 077 && mkdir -p ${shQuote(`${dir}/build/Release`)} && chmod 700 ${shQuote(base)} ${shQuote(`${base}/agent`)} ${shQuote(dir)}`,
  )
  if (mk.code !== 0) throw new BerthError('PERMISSION_DENIED', `could not create ${dir} on the host: ${mk.stderr.trim()}`)
  // the agent last: its presence is what marks an install complete
  await upload(conn, missing.reverse())
  return { path, uploaded: true }
}

/** Removes agent versions other than this one from the host's ~/.berth/agent. */
export async function removeOtherAgentVersions(conn: SshConnection, platform: RemotePlatform, bundle: AgentBundle): Promise<void> {
  const base = `${platform.home}/.berth/agent`
  const keep = agentInstallDir(platform, bundle).slice(base.length + 1)
  // only names Berth itself makes: <version>-linux-<arch>
  await conn.exec(
    `cd ${shQuote(base)} && for d in *-linux-*; do [ "$d" = ${shQuote(keep)} ] || rm -rf -- "$d"; done`,
  )
}

/**
 * Reaches the installed agent. It runs as this user's daemon on a unix socket, so terminals
 * outlive a dropped link: `--ensure-daemon` starts it if needed, then the SSH server opens the
 * socket itself (no process of ours per connection). Where the server refuses to forward a
 * socket (AllowStreamLocalForwarding no), a small bridge process joins an exec channel to it.
 */
export async function startRemoteAgent(
  conn: SshConnection,
  path: string,
  /** The daemon's socket when the probe found it answering: no process to start. */
  daemonSocket?: string,
): Promise<{ transport: Duplex; stderr: () => string }> {
  if (daemonSocket) {
    try {
      return { transport: await conn.openUnixSocket(daemonSocket), stderr: () => '' }
    } catch {
      // refused by the server's configuration (or the daemon just ended idle): the bridge
      // reaches it, starting it again if need be
      return bridge(conn, path, '')
    }
  }
  const started = await conn.exec(`node ${shQuote(path)} --ensure-daemon`)
  if (started.code === UNSAFE_EXIT_CODE) {
    // changed since the probe looked: the agent refused its own folders, and so does Berth
    const why = started.stderr.trim().split('\n').pop()?.replace(/^berth-agent: refusing to run: /, '')
    throw new BerthError('PERMISSION_DENIED', why || `the agent refused to start: ${started.stderr.trim()}`)
  }
  const socketPath = started.stdout.trim().split('\n').pop() ?? ''
  if (started.code === 0 && socketPath.startsWith('/')) {
    try {
      return { transport: await conn.openUnixSocket(socketPath), stderr: () => started.stderr.trim() }
    } catch {
      // refused by the server's configuration: the bridge below still works
    }
  }
  return bridge(conn, path, started.stderr)
}

async function bridge(conn: SshConnection, path: string, earlierStderr: string): Promise<{ transport: Duplex; stderr: () => string }> {
  const channel = await conn.execChannel(`exec node ${shQuote(path)} --connect`)
  let stderr = earlierStderr
  channel.stderr.on('data', (d: Buffer) => {
    // keep only the tail: enough to explain a crash, bounded in memory
    stderr = (stderr + d.toString('utf8')).slice(-4096)
  })
  return { transport: channel, stderr: () => stderr }
}
