/**
 * Every method the agent serves, and every event it sends, has a contract test against the
 * fake engine. A method added to protocol/schema.ts without one fails here, by name.
 *
 * The tests' calls are read from their source: each goes through `call('<method>', ...)`
 * (typed, so the name is a real method) and each event through `nextEvent('<event>'...)` or
 * `received('<event>'...)`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentEvents, agentPrivateEvents, agentServedMethods } from '../../protocol/schema'

/** Methods with no contract test, each with why. Keep it short: each is a gap. */
const EXCLUDED: Record<string, string> = {}

const dir = import.meta.dirname
const sources = readdirSync(dir)
  .filter((f) => /^agent-.*\.test\.ts$/.test(f) && f !== 'agent-coverage.test.ts')
  .map((f) => readFileSync(join(dir, f), 'utf8'))

function named(pattern: RegExp): Set<string> {
  const found = new Set<string>()
  for (const source of sources) for (const m of source.matchAll(pattern)) found.add(m[1]!)
  return found
}

const called = named(/\bcall\(\s*'([\w]+\.[\w]+)'/g)
const awaited = named(/\b(?:nextEvent|received)\b[^(]*\(\s*'([\w]+\.[\w]+)'/g)

describe('contract coverage', () => {
  it('has a contract test calling every method in agentServedMethods', () => {
    const missing = Object.keys(agentServedMethods).filter((m) => !called.has(m) && !(m in EXCLUDED))
    expect(missing, 'methods in protocol/schema.ts without a contract test in tests/contract/agent-*.test.ts').toEqual([])
  })

  it('calls only methods the schema has, and excludes only untested ones', () => {
    expect([...called].filter((m) => !(m in agentServedMethods))).toEqual([])
    expect(Object.keys(EXCLUDED).filter((m) => !(m in agentServedMethods) || called.has(m))).toEqual([])
  })

  it('checks every event the agent sends', () => {
    const events = Object.keys({ ...agentEvents, ...agentPrivateEvents })
    expect(events.filter((e) => !awaited.has(e)), 'agent events no contract test waits for').toEqual([])
  })
})
