/** Form helpers the network and volume forms share: key=value lines and per-field messages. */
import type { z } from 'zod'

/** "key=value" per line, as `--label` and `-o` take them; blank lines are skipped. */
export function parseKeyValues(text: string, what: string): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {}
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (!line) continue
    const eq = line.indexOf('=')
    if (eq <= 0) return { error: `line ${index + 1}: write each ${what} as key=value` }
    values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
  }
  return { values }
}

/** The first message for each top-level field of a failed parse. */
export function messagesByField(error: z.ZodError): Record<string, string> {
  const found: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '')
    found[key] ??= issue.message
  }
  return found
}
