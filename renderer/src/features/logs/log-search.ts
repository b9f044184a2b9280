/** Finding and marking a search word in log lines, case-insensitively, as a plain substring. */
import type { LogLine } from '../../../../protocol/schema'

export interface TextPart {
  text: string
  match: boolean
}

/** Indexes of the lines that contain the query; empty for an empty query. */
export function findMatches(lines: readonly LogLine[], query: string): number[] {
  const q = query.toLowerCase()
  if (!q) return []
  const found: number[] = []
  for (let i = 0; i < lines.length; i++) if (lines[i]!.text.toLowerCase().includes(q)) found.push(i)
  return found
}

/** Splits text into the parts that match the query and those that do not, for highlighting. */
export function splitMatches(text: string, query: string): TextPart[] {
  if (!query) return [{ text, match: false }]
  const lower = text.toLowerCase()
  const q = query.toLowerCase()
  const parts: TextPart[] = []
  let from = 0
  let at: number
  while ((at = lower.indexOf(q, from)) !== -1) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false })
    parts.push({ text: text.slice(at, at + q.length), match: true })
    from = at + q.length
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from), match: false })
  return parts
}

/** The lines as `docker logs` would print them (with timestamps when shown), for a download. */
export function logText(lines: readonly LogLine[], timestamps: boolean): string {
  return lines.map((l) => (timestamps && l.time ? `${l.time} ${l.text}` : l.text)).join('\n') + (lines.length ? '\n' : '')
}

/** A download name from a container name, safe on every file system. */
export function logFileName(container: string): string {
  return `${container.replace(/[^a-zA-Z0-9_.-]/g, '_')}-logs.txt`
}
