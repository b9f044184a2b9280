// @vitest-environment jsdom
/** A dead container, and one the engine lists as being removed: only what the engine accepts. */
import { describe, expect, it } from 'vitest'
import { containerTableSetup } from './container-table-setup'
import { container } from './fake-api'
import { disabled, openRowMenu } from './row-menu'

const { mountTable } = containerTableSetup([container({ name: 'gone', state: 'dead', exitCode: 0 }), container({ name: 'stuck', state: 'removing' })])

type Wrapper = Awaited<ReturnType<typeof mountTable>>
/** What the row and its menu let a user do: the enabled buttons and menu items, by name. */
async function enabled(w: Wrapper, name: string): Promise<string[]> {
  const own = w
    .get(`tr[data-container="${name}"]`)
    .findAll('td.actions button')
    .filter((b) => !(b.element as HTMLButtonElement).disabled)
    .map((b) => b.attributes('aria-label')!)
  const menu = await openRowMenu(w, name)
  const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].filter((i) => !disabled(i)).map((i) => i.getAttribute('aria-label')!)
  return [...own, ...items]
}

describe('actions for containers the engine could not remove', () => {
  it('offers a dead container only rename and remove: no start, stop, kill, exec or attach', async () => {
    const w = await mountTable()
    expect(w.get('tr[data-container="gone"] [data-state]').attributes('data-state')).toBe('dead')
    expect(await enabled(w, 'gone')).toEqual(['Remove gone', 'Actions for gone', 'Rename gone', 'Remove gone'])
  })

  it('lets a container listed as "removing" be removed again, and nothing else', async () => {
    const w = await mountTable()
    expect(await enabled(w, 'stuck')).toEqual(['Remove stuck', 'Actions for stuck', 'Remove stuck'])
  })
})
