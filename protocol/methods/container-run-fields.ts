/**
 * The fields of `docker run` as a user types them (`-p 8080:80`, `-v data:/data:ro`, `-e A=b`,
 * `--restart on-failure:3`), parsed here once: the schema refuses what the engine or the CLI
 * would refuse, with a message naming the problem, and the agent turns them into Engine API
 * shapes with the same parsers. Pure TypeScript (the renderer validates its form with it).
 */

export const PORT_MIN = 1
export const PORT_MAX = 65535

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message })

export interface PortBinding {
  /** The host address to bind; empty for every address. */
  hostIp: string
  /** Empty when the engine picks a free host port. */
  hostPort: string
  containerPort: number
  protocol: 'tcp' | 'udp'
}

const ipv4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/

function portNumber(text: string, which: string, spec: string): Parsed<number> {
  if (!/^\d+$/.test(text)) return fail(`${which} "${text}" in "${spec}" is not a number`)
  const n = Number(text)
  if (n < PORT_MIN || n > PORT_MAX) return fail(`${which} ${text} in "${spec}" is out of range (${PORT_MIN}-${PORT_MAX})`)
  return ok(n)
}

/** `[ip:]hostPort:containerPort[/tcp|udp]`, `ip::containerPort` or just `containerPort`. */
export function parsePort(spec: string): Parsed<PortBinding> {
  const s = spec.trim()
  if (s === '') return fail('a published port is empty: write hostPort:containerPort, e.g. 8080:80')
  const [main, protocol = 'tcp', ...extra] = s.split('/')
  if (extra.length > 0 || (protocol !== 'tcp' && protocol !== 'udp')) {
    return fail(`the protocol in "${s}" must be tcp or udp`)
  }
  const parts = (main ?? '').split(':')
  if (parts.length > 3) return fail(`"${s}" has too many ":": write [ip:]hostPort:containerPort`)
  const [hostIp, hostPort, containerPort] =
    parts.length === 3 ? parts : parts.length === 2 ? ['', parts[0], parts[1]] : ['', '', parts[0]]
  if (hostIp !== '' && !ipv4.test(hostIp!)) return fail(`host address "${hostIp}" in "${s}" is not an IPv4 address`)
  const container = portNumber(containerPort ?? '', 'container port', s)
  if (!container.ok) return container
  if (hostPort !== '') {
    const host = portNumber(hostPort!, 'host port', s)
    if (!host.ok) return host
  } else if (parts.length === 2) {
    return fail(`the host port in "${s}" is empty: write hostPort:containerPort`)
  }
  return ok({ hostIp: hostIp!, hostPort: hostPort!, containerPort: container.value, protocol })
}

export interface VolumeMount {
  /** An absolute host path (a bind mount) or a volume name. */
  source: string
  destination: string
  readOnly: boolean
  kind: 'bind' | 'volume'
}

const volumeName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/

/** `source:destination[:ro|rw]`: a source starting with / is a bind mount, else a named volume. */
export function parseVolume(spec: string): Parsed<VolumeMount> {
  const s = spec.trim()
  const parts = s.split(':')
  if (parts.length < 2 || parts.length > 3) {
    return fail(`"${s}" is not source:destination[:ro], e.g. data:/data or /srv/site:/usr/share/html:ro`)
  }
  const [source = '', destination = '', mode = 'rw'] = parts
  if (mode !== 'ro' && mode !== 'rw') return fail(`the mode in "${s}" must be ro or rw, not "${mode}"`)
  if (!destination.startsWith('/')) return fail(`the destination "${destination}" in "${s}" must be an absolute path inside the container`)
  if (destination === '/') return fail(`"${s}" cannot mount over / in the container`)
  const kind = source.startsWith('/') ? 'bind' : 'volume'
  if (kind === 'volume' && !volumeName.test(source)) {
    return fail(`"${source}" in "${s}" is neither an absolute host path nor a volume name (letters, digits, _ . -)`)
  }
  return ok({ source, destination, readOnly: mode === 'ro', kind })
}

const envKey = /^[^=\s][^=]*$/

/** `KEY=value` (the value may be empty or hold more `=`). */
export function parseEnvLine(line: string, index: number): Parsed<{ key: string; value: string }> {
  const at = line.indexOf('=')
  if (at === -1) return fail(`environment line ${index + 1} "${line}" has no "=": write KEY=value`)
  const key = line.slice(0, at)
  if (!envKey.test(key)) return fail(`environment line ${index + 1} "${line}" has no variable name before "="`)
  return ok({ key, value: line.slice(at + 1) })
}

/** `key=value` labels; the value may be empty. */
export function parseLabelLine(line: string, index: number): Parsed<{ key: string; value: string }> {
  const at = line.indexOf('=')
  const key = at === -1 ? line : line.slice(0, at)
  if (key.trim() === '' || key !== key.trim()) return fail(`label line ${index + 1} "${line}" needs a key: write key=value`)
  return ok({ key, value: at === -1 ? '' : line.slice(at + 1) })
}

export const restartPolicyNames = ['no', 'always', 'unless-stopped', 'on-failure'] as const
export type RestartPolicyName = (typeof restartPolicyNames)[number]

/** `no`, `always`, `unless-stopped` or `on-failure[:max]`, as `--restart` takes it. */
export function parseRestart(text: string): Parsed<{ name: RestartPolicyName; maximumRetryCount: number }> {
  const [name, max, ...rest] = text.split(':')
  if (!(restartPolicyNames as readonly string[]).includes(name ?? '') || rest.length > 0) {
    return fail(`restart policy "${text}" is not one of no, always, unless-stopped, on-failure[:max]`)
  }
  if (max !== undefined) {
    if (name !== 'on-failure') return fail(`only on-failure takes a maximum retry count (got "${text}")`)
    if (!/^\d+$/.test(max)) return fail(`the retry count in "${text}" is not a whole number`)
  }
  return ok({ name: name as RestartPolicyName, maximumRetryCount: max === undefined ? 0 : Number(max) })
}

/** The commit changes `docker commit --change` accepts, each checked before anything is sent. */
export const commitInstructions = ['CMD', 'ENTRYPOINT', 'ENV', 'LABEL', 'EXPOSE', 'WORKDIR', 'USER', 'VOLUME', 'STOPSIGNAL'] as const

export function commitChangeProblem(line: string, index: number): string | undefined {
  const where = `change ${index + 1} "${line}"`
  const m = /^(\S+)\s*(.*)$/.exec(line.trim())
  if (!m) return `${where} is empty: write an instruction such as CMD ["sh"] or ENV A=b`
  const instruction = m[1]!.toUpperCase()
  const args = m[2]!.trim()
  if (!(commitInstructions as readonly string[]).includes(instruction)) {
    return `${where}: ${m[1]} is not one of ${commitInstructions.join(', ')}`
  }
  if (args === '') return `${where}: ${instruction} needs an argument`
  if ((instruction === 'CMD' || instruction === 'ENTRYPOINT' || instruction === 'VOLUME') && args.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(args)
    } catch {
      return `${where}: the JSON array is not valid JSON (use double quotes: ["a", "b"])`
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) return `${where}: the JSON form is an array of strings`
  }
  if (instruction === 'ENV' || instruction === 'LABEL') {
    if (!/^[^=\s]+(=|\s)/.test(args)) return `${where}: write ${instruction} key=value`
  }
  if (instruction === 'EXPOSE') {
    for (const port of args.split(/\s+/)) {
      const pm = /^(\d+)(?:\/(tcp|udp))?$/.exec(port)
      if (!pm || Number(pm[1]) < PORT_MIN || Number(pm[1]) > PORT_MAX) return `${where}: "${port}" is not a port like 80 or 53/udp`
    }
  }
  if (instruction === 'WORKDIR' && !args.startsWith('/')) return `${where}: WORKDIR needs an absolute path`
  return undefined
}
