/**
 * Paths inside a volume, as the file browser uses them: relative to the volume's root, with
 * `/` between folders. Pure TypeScript (the schema and the renderer use it).
 *
 * Normalising here is the first of two guards: anything that leaves the root by `..`, or
 * that is absolute (it would name the host's or a container's own files), is refused before
 * a request is sent. The agent then resolves symbolic links itself, one component at a time.
 */

/** Far more than any real tree; bounds the work one path can cause. */
export const MAX_PATH_SEGMENTS = 256

export type PathCheck = { ok: true; segments: string[] } | { ok: false; problem: string }

/** Splits a path relative to the volume's root into its folders, or says why it is refused. */
export function volumePathSegments(raw: string): PathCheck {
  if (raw.includes('\0')) return { ok: false, problem: 'a path cannot contain a NUL character' }
  if (raw.startsWith('/')) {
    const relative = raw.replace(/^\/+/, '')
    return {
      ok: false,
      problem: `the path ${raw} is absolute, outside the volume: give a path relative to the volume's root${relative ? `, such as ${relative}` : ''}`,
    }
  }
  const segments: string[] = []
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (segments.length === 0) return { ok: false, problem: `the path ${raw} leaves the volume (too many ..)` }
      segments.pop()
      continue
    }
    segments.push(part)
  }
  if (segments.length > MAX_PATH_SEGMENTS) return { ok: false, problem: `the path ${raw} is deeper than ${MAX_PATH_SEGMENTS} folders` }
  return { ok: true, segments }
}

/** The normalised form: '' for the root, else `a/b/c`. */
export function normalizeVolumePath(raw: string): string {
  const check = volumePathSegments(raw)
  if (!check.ok) throw new Error(check.problem)
  return check.segments.join('/')
}

/** How the window shows a volume path: `/` for the root, else `/a/b`. */
export function displayVolumePath(path: string): string {
  return `/${path}`
}

export function joinVolumePath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name
}

export function parentVolumePath(path: string): string {
  const at = path.lastIndexOf('/')
  return at < 0 ? '' : path.slice(0, at)
}

/** A name of one entry in a folder: no `/`, not `.` or `..`. */
export function fileNameProblem(name: string): string | null {
  if (name === '' ) return 'a file name is required'
  if (name === '.' || name === '..') return `${name} is not a file name`
  if (name.includes('/')) return `the file name ${name} contains /: give only the name, and pick the folder to put it in`
  if (name.includes('\0')) return 'a file name cannot contain a NUL character'
  return null
}
