/** The containers table's filter, search and sort, kept pure so 5,000 rows can be tested without a DOM. */
import type { ContainerState, ContainerSummary } from '../../../../protocol/schema'

export type StateFilter = 'all' | ContainerState
export type ContainerSort = 'name' | 'state' | 'created'

export interface ContainerQuery {
  state: StateFilter
  /** Matches name, image or id, ignoring case. */
  search: string
  sort: ContainerSort
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
// the order a user scans states in: what runs first, what is gone last
const stateOrder: Record<ContainerState, number> = {
  running: 0, restarting: 1, paused: 2, created: 3, exited: 4, dead: 5, removing: 6,
}

export function queryContainers(list: readonly ContainerSummary[], query: ContainerQuery): ContainerSummary[] {
  const needle = query.search.trim().toLowerCase()
  const kept = list.filter(
    (c) =>
      (query.state === 'all' || c.state === query.state) &&
      (needle === '' ||
        c.name.toLowerCase().includes(needle) ||
        c.image.toLowerCase().includes(needle) ||
        c.id.startsWith(needle)),
  )
  const compare =
    query.sort === 'state'
      ? (a: ContainerSummary, b: ContainerSummary) => stateOrder[a.state] - stateOrder[b.state] || byName.compare(a.name, b.name)
      : query.sort === 'created'
        ? (a: ContainerSummary, b: ContainerSummary) => b.created - a.created || byName.compare(a.name, b.name)
        : (a: ContainerSummary, b: ContainerSummary) => byName.compare(a.name, b.name)
  return kept.sort(compare)
}
