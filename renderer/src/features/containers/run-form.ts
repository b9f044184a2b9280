/**
 * The Run container form as plain data: what the user typed, each field's problem named,
 * the spec sent to containers.run / containers.create, and the `docker run` line it equals.
 * Validation is the protocol's own schema, so the form refuses exactly what the agent would.
 */
import { parseImageReference } from '../../../../protocol/image-reference'
import { runSpecSchema, type RestartPolicyName, type RunSpec } from '../../../../protocol/schema'
import { shellJoin, splitWords } from './shell-words'

export interface RunFormModel {
  image: string
  name: string
  /** A command line, split as sh would. */
  command: string
  entrypoint: string
  /** One KEY=value per line. */
  env: string
  /** One [ip:]hostPort:containerPort[/proto] per line. */
  ports: string
  /** One source:destination[:ro] per line. */
  volumes: string
  network: string
  restart: RestartPolicyName
  /** For on-failure only; empty for no limit. */
  maxRetries: string
  autoRemove: boolean
  /** One key=value per line. */
  labels: string
  interactive: boolean
  tty: boolean
  workingDir: string
  user: string
}

export type RunField = keyof RunFormModel
export type RunMode = 'run' | 'create'

export function emptyRunForm(): RunFormModel {
  return {
    image: '', name: '', command: '', entrypoint: '', env: '', ports: '', volumes: '', network: '',
    restart: 'no', maxRetries: '', autoRemove: false, labels: '', interactive: false, tty: false, workingDir: '', user: '',
  }
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '')

export type RunFormResult = { spec: RunSpec | null; errors: Partial<Record<RunField, string>> }

/** The spec to send, or the first problem of each field (nothing is sent while any remain). */
export function validateRunForm(m: RunFormModel): RunFormResult {
  const errors: Partial<Record<RunField, string>> = {}
  const spec: RunSpec = { image: m.image.trim() }
  if (m.name.trim() !== '') spec.name = m.name.trim()
  for (const field of ['command', 'entrypoint'] as const) {
    const split = splitWords(m[field])
    if (!split.ok) errors[field] = `${field}: ${split.message}`
    else if (split.words.length > 0) spec[field] = split.words
  }
  for (const field of ['env', 'ports', 'volumes', 'labels'] as const) {
    const list = lines(m[field])
    if (list.length > 0) spec[field] = list
  }
  if (m.network.trim() !== '') spec.network = m.network.trim()
  if (m.restart !== 'no') {
    const retries = m.maxRetries.trim()
    if (retries !== '' && m.restart !== 'on-failure') errors.maxRetries = 'only on-failure takes a maximum retry count'
    spec.restart = m.restart === 'on-failure' && retries !== '' ? `on-failure:${retries}` : m.restart
  }
  if (m.autoRemove) spec.autoRemove = true
  if (m.interactive) spec.interactive = true
  if (m.tty) spec.tty = true
  if (m.workingDir.trim() !== '') spec.workingDir = m.workingDir.trim()
  if (m.user.trim() !== '') spec.user = m.user.trim()

  const parsed = runSpecSchema.safeParse(spec)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0]
      const field: RunField = key === 'restart' ? (m.restart === 'on-failure' ? 'maxRetries' : 'restart') : (key as RunField)
      errors[field] ??= issue.message
    }
  }
  return { spec: Object.keys(errors).length === 0 ? spec : null, errors }
}

/** A note for an image without a tag: Docker assumes "latest", which is only a name. */
export function imageNote(image: string): string | null {
  const parsed = parseImageReference(image.trim())
  if (!parsed.ok || !parsed.ref.implicitLatest) return null
  return `No tag given: Docker uses the tag "latest", which is just a tag, not necessarily the newest version.`
}

/** The `docker run -d …` (or `docker create …`) line the form equals, quoted for sh. */
export function runCommandLine(m: RunFormModel, mode: RunMode): string {
  const args = ['docker', mode === 'run' ? 'run' : 'create']
  if (mode === 'run') args.push('-d')
  if (m.interactive) args.push('-i')
  if (m.tty) args.push('-t')
  if (m.name.trim()) args.push('--name', m.name.trim())
  for (const line of lines(m.env)) args.push('-e', line)
  for (const line of lines(m.ports)) args.push('-p', line)
  for (const line of lines(m.volumes)) args.push('-v', line)
  if (m.network.trim()) args.push('--network', m.network.trim())
  if (m.restart !== 'no') args.push('--restart', m.restart === 'on-failure' && m.maxRetries.trim() ? `on-failure:${m.maxRetries.trim()}` : m.restart)
  if (m.autoRemove) args.push('--rm')
  for (const line of lines(m.labels)) args.push('-l', line)
  if (m.workingDir.trim()) args.push('-w', m.workingDir.trim())
  if (m.user.trim()) args.push('-u', m.user.trim())
  const entry = splitWords(m.entrypoint)
  const entryWords = entry.ok ? entry.words : []
  // --entrypoint takes one word; the rest run before the command, as the engine joins them
  if (entryWords.length > 0) args.push('--entrypoint', entryWords[0]!)
  args.push(m.image.trim() || '<image>')
  const cmd = splitWords(m.command)
  args.push(...entryWords.slice(1), ...(cmd.ok ? cmd.words : []))
  return shellJoin(args)
}
