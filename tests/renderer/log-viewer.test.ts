// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LogLine } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import LogViewer from '../../renderer/src/features/logs/LogViewer.vue'
import { createFakeApi, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void
let page: LogLine[]

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  page = [
    { stream: 'stdout', time: '2026-11-27T22:00:00.000000001Z', text: 'server started on port 80' },
    { stream: 'stderr', time: '2026-11-27T22:00:01.000000001Z', text: 'warning: disk almost full' },
    { stream: 'stdout', time: '2026-11-27T22:00:02.000000001Z', text: 'GET /index.html 200' },
    { stream: 'stderr', time: '2026-11-27T22:00:03.000000001Z', text: 'error: disk full' },
  ]
  fake.handle('logs.read', () => ({ lines: page, truncated: false, tty: false }))
  fake.handle('logs.follow', () => ({ followId: 'f1', tty: false }))
  fake.handle('logs.unfollow', () => ({ stopped: true }))
})
afterEach(() => restore())

async function mountViewer() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const w = mount(LogViewer, { props: { hostId: 'h1', containerId: 'c1', name: 'web' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return w
}

const rowTexts = (w: Awaited<ReturnType<typeof mountViewer>>) => w.findAll('.log-row .text').map((r) => r.text())

describe('the log viewer', () => {
  it('reads the last 1000 lines and tells stderr from stdout by colour class and by a label', async () => {
    const w = await mountViewer()
    expect(fake.calls('logs.read')).toEqual([{ hostId: 'h1', id: 'c1', tail: 1000, timestamps: true }])
    const rows = w.findAll('.log-row')
    expect(rows.map((r) => r.get('.stream-label').text())).toEqual(['stdout', 'stderr', 'stdout', 'stderr'])
    expect(rows.map((r) => r.classes('stderr'))).toEqual([false, true, false, true])
    expect(rowTexts(w)).toEqual(page.map((l) => l.text))
    // no timestamps until asked for
    expect(w.findAll('.log-row time')).toHaveLength(0)
  })

  it('highlights a search word and jumps between the lines that hold it', async () => {
    const w = await mountViewer()
    await w.get('input[type="search"]').setValue('DISK')
    const marks = w.findAll('mark')
    expect(marks.map((m) => m.text())).toEqual(['disk', 'disk'])
    expect(w.get('.log-search .count').text()).toBe('1 of 2')
    expect(w.get('.log-row.active .text').text()).toBe('warning: disk almost full')
    await w.get('button[aria-label="Next match"]').trigger('click')
    expect(w.get('.log-search .count').text()).toBe('2 of 2')
    expect(w.get('.log-row.active .text').text()).toBe('error: disk full')
    await w.get('button[aria-label="Next match"]').trigger('click')
    expect(w.get('.log-row.active .text').text()).toBe('warning: disk almost full')
    await w.get('input[type="search"]').setValue('nothing like this')
    expect(w.get('.log-search .count').text()).toBe('No match')
    expect(w.findAll('mark')).toHaveLength(0)
  })

  it('shows the times without asking again, and asks again with tail and since', async () => {
    const w = await mountViewer()
    const [timestamps] = w.findAll('.log-toolbar input[type="checkbox"]')
    await timestamps!.setValue(true)
    await flushPromises()
    expect(fake.calls('logs.read')).toHaveLength(1)
    expect(w.findAll('.log-row time').map((t) => t.text())[0]).toBe('2026-11-27T22:00:00.000000001Z')
    await w.get('input.tail').setValue(50)
    await w.get('input.since').setValue('1764280800')
    await w.get('form.log-toolbar').trigger('submit')
    await flushPromises()
    expect(fake.calls('logs.read').at(-1)).toEqual({ hostId: 'h1', id: 'c1', tail: 50, timestamps: true, since: 1764280800 })
  })

  it('follows new lines, counts skipped ones, and stops following when asked', async () => {
    const w = await mountViewer()
    const follow = w.findAll('.log-toolbar input[type="checkbox"]')[1]!
    await follow.setValue(true)
    await flushPromises()
    const before = page.map((l) => l.text)
    // from the page's last line on, so nothing written in between is lost
    expect(fake.calls('logs.follow')).toEqual([
      { hostId: 'h1', id: 'c1', tail: 100_000, since: '2026-11-27T22:00:03.000000001Z', timestamps: true },
    ])
    fake.emit('logs.lines', {
      hostId: 'h1',
      followId: 'f1',
      lines: [
        // the page's last line comes again (since is inclusive): not shown twice
        { stream: 'stderr', time: '2026-11-27T22:00:03.000000001Z', text: 'error: disk full' },
        { stream: 'stdout', time: '2026-11-27T22:00:03.5Z', text: 'a new line' },
      ],
      skipped: 7,
    })
    await flushPromises()
    expect(rowTexts(w)).toEqual([...before, 'a new line'])
    expect(w.text()).toContain('7 lines were skipped')
    await follow.setValue(false)
    await flushPromises()
    expect(fake.calls('logs.unfollow')).toEqual([{ hostId: 'h1', followId: 'f1' }])
    fake.emit('logs.lines', { hostId: 'h1', followId: 'f1', lines: [{ stream: 'stdout', text: 'too late' }] })
    await flushPromises()
    expect(rowTexts(w)).not.toContain('too late')
  })

  it('downloads the lines shown as <container>-logs.txt', async () => {
    const w = await mountViewer()
    let blob: Blob | undefined
    const createObjectURL = vi.fn((b: Blob) => ((blob = b), 'blob:logs'))
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }))
    let name = ''
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      name = this.download
    })
    await w.findAll('.log-toolbar button').find((b) => b.text() === 'Download')!.trigger('click')
    expect(name).toBe('web-logs.txt')
    expect(await blob!.text()).toBe(page.map((l) => l.text).join('\n') + '\n')
    click.mockRestore()
    vi.unstubAllGlobals()
  })

  it('renders only a window of rows for 100,000 lines', async () => {
    page = Array.from({ length: 100_000 }, (_, i) => ({ stream: i % 2 ? 'stderr' : 'stdout', text: `line ${i}` }))
    const w = await mountViewer()
    const rows = w.findAll('.log-row')
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.length).toBeLessThan(200)
    expect(rows[0]!.text()).toContain('line 0')
    const body = w.get('.log-body').attributes('style')!
    expect(parseInt(body.replace(/.*height:\s*/, ''), 10)).toBe(100_000 * 18)
  })
})
