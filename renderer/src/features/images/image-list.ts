/** The image list as `docker images` shows it: searched, sorted and grouped by repository. */
import type { ImageRow } from '../../../../protocol/schema'

export type ImageSort = 'repository' | 'created' | 'size'

export type ImageListItem =
  | { kind: 'group'; key: string; repository: string; count: number }
  | { kind: 'image'; key: string; row: ImageRow }

const byText = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

const compare: Record<ImageSort, (a: ImageRow, b: ImageRow) => number> = {
  repository: (a, b) => byText.compare(a.repository, b.repository) || byText.compare(a.tag, b.tag),
  created: (a, b) => b.created - a.created || compare.repository(a, b),
  size: (a, b) => b.size - a.size || compare.repository(a, b),
}

/**
 * The rows a search leaves, sorted, under one heading per repository (in the order the sort
 * first meets each repository). Untagged images come last, under <none>.
 */
export function groupImages(rows: ImageRow[], query: string, sort: ImageSort): ImageListItem[] {
  const q = query.trim().toLowerCase()
  const hits = q
    ? rows.filter((r) =>
        [`${r.repository}:${r.tag}`, r.id, r.digest ?? '', `${r.os}/${r.architecture}`].some((f) => f.toLowerCase().includes(q)),
      )
    : rows
  const groups = new Map<string, ImageRow[]>()
  for (const row of [...hits].sort(compare[sort])) {
    const group = groups.get(row.repository) ?? []
    group.push(row)
    groups.set(row.repository, group)
  }
  const none = groups.get('<none>')
  groups.delete('<none>')
  if (none) groups.set('<none>', none)
  const items: ImageListItem[] = []
  for (const [repository, group] of groups) {
    items.push({ kind: 'group', key: `g:${repository}`, repository, count: group.length })
    for (const row of group) items.push({ kind: 'image', key: `i:${row.repository}:${row.tag}:${row.id}`, row })
  }
  return items
}

/** "3 days ago", as `docker images` says it. */
export function createdAgo(unixSeconds: number, nowMs = Date.now()): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - unixSeconds))
  const steps: Array<[number, string]> = [[31_536_000, 'year'], [2_592_000, 'month'], [604_800, 'week'], [86_400, 'day'], [3_600, 'hour'], [60, 'minute']]
  for (const [size, name] of steps) {
    const n = Math.floor(seconds / size)
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`
  }
  return 'just now'
}
