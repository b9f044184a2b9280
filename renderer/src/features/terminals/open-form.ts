/**
 * The Exec… and Attach forms as plain data: what the user typed, each field's problem named
 * with the protocol schema's own message, the spec to open, and the docker command it equals.
 */
import { DEFAULT_DETACH_KEYS, terminalSpecSchema } from '../../../../protocol/schema'
import type { OpenSpec } from './terminals-store'
import { shellJoin, splitWords } from '../containers/shell-words'

export type OpenMode = 'exec' | 'attach'

export interface OpenFormModel {
  /** A command line, split as sh would; empty for the container's shell. */
  command: string
  user: string
  workdir: string
  /** One KEY=value per line. */
  env: string
  detachKeys: string
}

export type OpenField = keyof OpenFormModel

export function emptyOpenForm(): OpenFormModel {
  return { command: '', user: '', workdir: '', env: '', detachKeys: DEFAULT_DETACH_KEYS }
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '')

/** Any size passes the schema: the real one is measured by the pane before opening. */
const PLACEHOLDER_SIZE = { cols: 80, rows: 24 }

export function validateOpenForm(
  container: string,
  mode: OpenMode,
  m: OpenFormModel,
): { spec: OpenSpec | null; errors: Partial<Record<OpenField, string>> } {
  const errors: Partial<Record<OpenField, string>> = {}
  const spec: OpenSpec = { kind: mode, container }
  if (mode === 'exec') {
    const words = splitWords(m.command)
    if (!words.ok) errors.command = `command: ${words.message}`
    else if (words.words.length > 0) spec.command = words.words
    if (m.user.trim() !== '') spec.user = m.user.trim()
    if (m.workdir.trim() !== '') spec.workdir = m.workdir.trim()
    const env = lines(m.env)
    if (env.length > 0) spec.env = env
  } else if (m.detachKeys.trim() !== '') {
    spec.detachKeys = m.detachKeys.trim()
  }
  const parsed = terminalSpecSchema.safeParse({ ...spec, ...PLACEHOLDER_SIZE })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0]
      const field: OpenField = key === 'detachKeys' || key === 'user' || key === 'workdir' || key === 'env' ? key : 'command'
      errors[field] ??= issue.message
    }
  }
  return { spec: Object.keys(errors).length === 0 ? spec : null, errors }
}

/** The `docker exec -it …` or `docker attach …` line the form equals. */
export function openCommandLine(name: string, mode: OpenMode, m: OpenFormModel): string {
  if (mode === 'attach') {
    const keys = m.detachKeys.trim()
    return shellJoin(['docker', 'attach', ...(keys && keys !== DEFAULT_DETACH_KEYS ? [`--detach-keys=${keys}`] : []), name])
  }
  const args = ['docker', 'exec', '-it']
  if (m.user.trim()) args.push('-u', m.user.trim())
  if (m.workdir.trim()) args.push('-w', m.workdir.trim())
  for (const line of lines(m.env)) args.push('-e', line)
  const words = splitWords(m.command)
  const command = words.ok && words.words.length > 0 ? words.words : ['sh']
  return shellJoin([...args, name, ...command])
}
