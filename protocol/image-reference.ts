/**
 * Image references parsed the way the Docker engine parses them (the distribution/reference
 * grammar with Docker's normalization), so Berth refuses exactly what the engine would refuse,
 * before anything is sent, and with a message that names the problem.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component [ "/" path-component ]*
 *
 * A first component is a registry address only when it has a "." or ":" or is "localhost"
 * (as in engine 20.10: "UPPER/case" is a Docker Hub repository, refused for its uppercase).
 * Pure TypeScript: the renderer validates its Pull field with it too.
 */

export const DEFAULT_REGISTRY = 'docker.io'
export const NAME_MAX_CHARS = 255
export const TAG_MAX_CHARS = 128

export interface ImageReference {
  /** The registry address: docker.io, 10.77.0.1:5000, localhost:5000, ... */
  domain: string
  /** The repository path inside the registry: library/ubuntu, lab/busybox. */
  path: string
  /** The tag; "latest" when neither a tag nor a digest was given. */
  tag?: string
  /** algorithm:hex, when pinned by digest. */
  digest?: string
  /** True when no tag was given and "latest" was assumed (it is just a tag, not the newest). */
  implicitLatest: boolean
  /** The repository as `docker images` shows it: ubuntu, 10.77.0.1:5000/lab/busybox. */
  familiarName: string
  /** domain/path. */
  fullName: string
  /** familiarName[:tag][@digest]. */
  familiar: string
  /** fullName[:tag][@digest]. */
  full: string
}

export type ParseResult = { ok: true; ref: ImageReference } | { ok: false; message: string }

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const domainComponent = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/
const ipv6Host = /^\[[a-fA-F0-9:]+\]$/
const tagPattern = /^\w[\w.-]*$/
const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
/** Hex lengths of the digest algorithms the engine knows. */
const digestHexChars: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }
const fullImageId = /^[a-f0-9]{64}$/

function fail(message: string): ParseResult {
  return { ok: false, message }
}

export function digestProblem(digest: string): string | undefined {
  if (!digestPattern.test(digest)) return `digest "${digest}" is not algorithm:hex (e.g. sha256: and 64 hex digits)`
  const [algorithm, hex] = digest.split(':') as [string, string]
  const length = digestHexChars[algorithm]
  if (length === undefined) return `digest algorithm "${algorithm}" is not supported (use sha256, sha384 or sha512)`
  if (!/^[a-f0-9]+$/.test(hex)) return `a ${algorithm} digest has only lowercase hex digits (0-9, a-f)`
  if (hex.length !== length) return `a ${algorithm} digest has ${length} hex digits, this one has ${hex.length}`
  return undefined
}

export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'the tag after ":" is empty'
  if (tag.includes(':')) return `only one ":tag" may follow the repository name (found ":${tag}")`
  if (tag.length > TAG_MAX_CHARS) return `a tag is at most ${TAG_MAX_CHARS} characters, this one has ${tag.length}`
  if (!tagPattern.test(tag)) {
    return `tag "${tag}" is invalid: a tag has only letters, digits, _ . and -, and cannot start with . or -`
  }
  return undefined
}

function domainProblem(domain: string): string | undefined {
  const colon = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.lastIndexOf(':')
  const host = colon === -1 ? domain : domain.slice(0, colon)
  const port = colon === -1 ? undefined : domain.slice(colon + 1)
  if (port !== undefined && !/^\d+$/.test(port)) return `registry port "${port}" in "${domain}" is not a number`
  const hostOk = ipv6Host.test(host) || (host !== '' && host.split('.').every((c) => domainComponent.test(c)))
  return hostOk ? undefined : `registry address "${domain}" is not a valid host name or IP address`
}

function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/')
  const first = slash === -1 ? '' : name.slice(0, slash)
  let domain = DEFAULT_REGISTRY
  let remainder = name
  if (slash !== -1 && (/[.:]/.test(first) || first === 'localhost')) {
    domain = first
    remainder = name.slice(slash + 1)
  }
  if (domain === 'index.docker.io') domain = DEFAULT_REGISTRY
  if (domain === DEFAULT_REGISTRY && !remainder.includes('/')) remainder = `library/${remainder}`
  return { domain, remainder }
}

function familiarNameOf(domain: string, path: string): string {
  if (domain !== DEFAULT_REGISTRY) return `${domain}/${path}`
  const short = path.startsWith('library/') ? path.slice('library/'.length) : path
  return short.includes('/') ? path : short
}

function suffix(tag: string | undefined, digest: string | undefined): string {
  return `${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`
}

/** Parses an image reference as `docker pull` would, adding docker.io/library/ and :latest. */
export function parseImageReference(input: string): ParseResult {
  const s = input.trim()
  if (s !== input) return fail('an image reference has no leading or trailing spaces')
  if (s === '') return fail('an image reference is required (e.g. ubuntu:24.04)')
  if (/\s/.test(s)) return fail('an image reference has no spaces')
  if (fullImageId.test(s)) return fail('a 64-digit hex string is an image ID, not a repository name')

  const at = s.indexOf('@')
  const digest = at === -1 ? undefined : s.slice(at + 1)
  const rest = at === -1 ? s : s.slice(0, at)
  if (digest !== undefined) {
    const problem = digest === '' ? 'the digest after "@" is empty' : digestProblem(digest)
    if (problem) return fail(problem)
  }

  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.indexOf(':', lastSlash + 1)
  const name = colon === -1 ? rest : rest.slice(0, colon)
  const givenTag = colon === -1 ? undefined : rest.slice(colon + 1)
  if (name === '') return fail('a repository name is required before the tag or digest')
  if (givenTag !== undefined) {
    const problem = tagProblem(givenTag)
    if (problem) return fail(problem)
  }

  const { domain, remainder } = splitDomain(name)
  if (remainder.toLowerCase() !== remainder) {
    return fail(`repository names must be lowercase: "${remainder.replace(/^library\//, '')}"`)
  }
  const domainIssue = domainProblem(domain)
  if (domainIssue) return fail(domainIssue)
  for (const component of remainder.split('/')) {
    if (component === '') return fail(`repository "${name}" has an empty path component (check the slashes)`)
    if (!pathComponent.test(component)) {
      return fail(
        `repository path component "${component}" is invalid: use lowercase letters and digits, ` +
          'separated by one ".", one or two "_", or dashes',
      )
    }
  }
  const fullName = `${domain}/${remainder}`
  if (fullName.length > NAME_MAX_CHARS) {
    return fail(`a repository name is at most ${NAME_MAX_CHARS} characters, "${fullName.slice(0, 24)}…" has ${fullName.length}`)
  }

  const implicitLatest = givenTag === undefined && digest === undefined
  const tag = implicitLatest ? 'latest' : givenTag
  const familiarName = familiarNameOf(domain, remainder)
  const ref: ImageReference = {
    domain,
    path: remainder,
    implicitLatest,
    familiarName,
    fullName,
    familiar: familiarName + suffix(tag, digest),
    full: fullName + suffix(tag, digest),
  }
  if (tag !== undefined) ref.tag = tag
  if (digest !== undefined) ref.digest = digest
  return { ok: true, ref }
}

/** Image IDs as the engine accepts them in place of a name: full or short hex, with or without sha256:. */
export function isImageId(input: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{4,64}$/.test(input)
}

/** Either an image ID or a reference; the message when it is neither. */
export function imageRefProblem(input: string): string | undefined {
  if (isImageId(input) || /^sha256:[a-f0-9]{64}$/.test(input)) return undefined
  const parsed = parseImageReference(input)
  return parsed.ok ? undefined : parsed.message
}
