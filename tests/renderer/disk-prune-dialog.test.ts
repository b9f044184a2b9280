// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import type { PruneCandidate, PruneOutcome } from '../../protocol/schema'
import DiskPruneDialog from '../../renderer/src/features/system/DiskPruneDialog.vue'
import type { Outcome } from '../../renderer/src/api/outcome'
import { deferred } from './fake-api'

const items: PruneCandidate[] = [
  { id: 'id-a', label: 'old-cache', detail: 'local', sizeBytes: 1_500_000 },
  { id: 'id-b', label: 'scratch', detail: 'local', sizeBytes: 250_000 },
  { id: 'id-c', label: 'tmp', detail: 'local', sizeBytes: null },
]

function mountDialog(load: () => Promise<Outcome<PruneCandidate[]>>, run = vi.fn(async (ids: string[]): Promise<Outcome<PruneOutcome>> => ({ ok: true, value: { removed: ids, skipped: [], spaceReclaimedBytes: 1_500_000 } }))) {
  const wrapper = mount(DiskPruneDialog, { props: { title: 'Prune unused volumes', what: 'unused volumes', load, run }, attachTo: document.body })
  return { wrapper, run }
}

const removeButton = (wrapper: ReturnType<typeof mountDialog>['wrapper']) => wrapper.findAll('button').find((b) => b.text().startsWith('Remove'))

describe('DiskPruneDialog', () => {
  it('lists what will be removed before anything is removed, with the total', async () => {
    const pending = deferred<Outcome<PruneCandidate[]>>()
    const { wrapper, run } = mountDialog(() => pending.promise)
    expect(wrapper.text()).toContain('Looking for unused volumes…')
    expect(removeButton(wrapper)).toBeUndefined()
    pending.resolve({ ok: true, value: items })
    await flushPromises()
    expect(wrapper.findAll('[data-prune-item]').map((li) => li.attributes('data-prune-item'))).toEqual(['old-cache', 'scratch', 'tmp'])
    expect(wrapper.get('[data-prune-item="old-cache"]').text()).toContain('1.5MB')
    expect(removeButton(wrapper)!.text()).toBe('Remove 3 (1.75MB)')
    expect(run).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('sends only the ticked items, then shows what was removed and what was kept', async () => {
    const run = vi.fn(async (): Promise<Outcome<PruneOutcome>> => ({
      ok: true,
      value: { removed: ['id-a'], skipped: [{ id: 'id-c', reason: 'no longer an unused volume' }], spaceReclaimedBytes: 1_500_000 },
    }))
    const { wrapper } = mountDialog(async () => ({ ok: true, value: items }), run)
    await flushPromises()
    await wrapper.get('[data-prune-item="scratch"] input').setValue(false)
    expect(removeButton(wrapper)!.text()).toBe('Remove 2 (1.5MB)')
    await removeButton(wrapper)!.trigger('click')
    await flushPromises()
    expect(run).toHaveBeenCalledWith(['id-a', 'id-c'])
    expect(wrapper.get('[data-prune-result]').text()).toBe('Removed 1, freed 1.5MB.')
    expect(wrapper.text()).toContain('Kept id-c: no longer an unused volume')
    wrapper.unmount()
  })

  it('offers no removal when nothing can go, and cannot send an empty list', async () => {
    const { wrapper, run } = mountDialog(async () => ({ ok: true, value: items.slice(0, 1) }))
    await flushPromises()
    await wrapper.get('[data-prune-item="old-cache"] input').setValue(false)
    expect(removeButton(wrapper)!.attributes('disabled')).toBeDefined()
    wrapper.unmount()
    const empty = mountDialog(async () => ({ ok: true, value: [] }))
    await flushPromises()
    expect(empty.wrapper.text()).toContain('There are no unused volumes: nothing to remove.')
    expect(removeButton(empty.wrapper)).toBeUndefined()
    expect(run).not.toHaveBeenCalled()
    empty.wrapper.unmount()
  })

  it('shows a preview that failed', async () => {
    const { wrapper } = mountDialog(async () => ({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'the container engine is not answering' } }))
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('the container engine is not answering')
    wrapper.unmount()
  })
})
