// @vitest-environment jsdom
import { createTestingPinia } from '@pinia/testing'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TRANSFER_CHUNK_BYTES, type VolumeFileEntry, type VolumeListing, type VolumeSummary } from '../../protocol/schema'
import { ApiError } from '../../renderer/src/api/api-error'
import { provideApi } from '../../renderer/src/api/use-api'
import VolumePanel from '../../renderer/src/features/volumes/VolumePanel.vue'
import { base64ToBytes } from '../../renderer/src/features/volumes/volume-file-bytes'
import { createFakeApi, deferred, type FakeApi } from './fake-api'

// transfer ids as the agent makes them (UUIDs)
const TRANSFER_1 = '00000000-0000-4000-8000-000000000001'
const TRANSFER_2 = '00000000-0000-4000-8000-000000000002'
const TRANSFER_3 = '00000000-0000-4000-8000-000000000003'

let fake: FakeApi
let restore: () => void

const data: VolumeSummary = {
  name: 'data', driver: 'local', mountpoint: '/var/lib/docker/volumes/data/_data', labels: {}, created: '', sizeBytes: 10, containers: [], dangling: true,
}
function entry(name: string, kind: VolumeFileEntry['kind'], extra: Partial<VolumeFileEntry> = {}): VolumeFileEntry {
  return { name, kind, sizeBytes: 6, mode: kind === 'directory' ? 'drwxr-xr-x' : '-rw-r--r--', modified: '2026-01-01T00:00:00.000Z', linkTarget: '', ...extra }
}
const listings: Record<string, VolumeListing> = {
  '': { volume: 'data', path: '', cutShort: null, entries: [entry('logs', 'directory'), entry('notes.txt', 'file'), entry('etc', 'symlink', { linkTarget: '/etc' })] },
  logs: { volume: 'data', path: 'logs', cutShort: null, entries: [entry('app.txt', 'file')] },
}

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  fake.handle('volumes.list', () => [data])
  fake.handle('volumeFiles.list', ({ path }) => {
    const found = listings[path]
    if (!found) throw new ApiError('PERMISSION_DENIED', `the path /${path} goes through the symbolic link /etc -> /etc, which points outside the volume data: refused`)
    return found
  })
  fake.handle('volumeFiles.close', () => ({ closed: true }))
})
afterEach(() => restore())

async function openBrowser() {
  const pinia = createTestingPinia({ stubActions: false, createSpy: vi.fn })
  const wrapper = mount(VolumePanel, { props: { hostId: 'h1' }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  await wrapper.get('button[aria-label="Browse files of volume data"]').trigger('click')
  await flushPromises()
  return wrapper
}
const names = (wrapper: Awaited<ReturnType<typeof openBrowser>>) => wrapper.findAll('tr[data-file]').map((r) => r.attributes('data-file'))

describe('VolumeBrowser', () => {
  it('lists the root, opens a folder and goes back up; closing tells the agent', async () => {
    const wrapper = await openBrowser()
    expect(names(wrapper)).toEqual(['logs', 'notes.txt', 'etc'])
    expect(wrapper.get('tr[data-file="etc"]').text()).toContain('→ /etc')
    await wrapper.get('button[aria-label="Open folder logs"]').trigger('click')
    await flushPromises()
    expect(fake.calls('volumeFiles.list')).toEqual([{ hostId: 'h1', volume: 'data', path: '' }, { hostId: 'h1', volume: 'data', path: 'logs' }])
    expect(names(wrapper)).toEqual(['app.txt'])
    await wrapper.findAll('button').find((b) => b.text() === 'Up')!.trigger('click')
    await flushPromises()
    expect(names(wrapper)).toEqual(['logs', 'notes.txt', 'etc'])
    await wrapper.findAll('button').find((b) => b.text() === 'Close browser')!.trigger('click')
    await flushPromises()
    expect(fake.calls('volumeFiles.close')).toEqual([{ hostId: 'h1', volume: 'data' }])
    wrapper.unmount()
  })

  it('shows the refusal of a link out of the volume', async () => {
    const wrapper = await openBrowser()
    await wrapper.get('button[aria-label="Open folder etc"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-browser-error]').text()).toContain('points outside the volume data: refused')
    wrapper.unmount()
  })

  it('views a text file and says when a binary one cannot be shown', async () => {
    fake.handle('volumeFiles.readText', ({ path }) => {
      if (path === 'etc') throw new ApiError('UNSUPPORTED', '/etc is a binary file, not text: download it to open it')
      return { path, sizeBytes: 6, text: 'hello\n', truncated: false }
    })
    const wrapper = await openBrowser()
    await wrapper.get('button[aria-label="View notes.txt"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-text-view]').text()).toBe('hello')
    await wrapper.get('button[aria-label="View etc"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-browser-error]').text()).toBe('/etc is a binary file, not text: download it to open it')
    wrapper.unmount()
  })

  it('uploads a picked file in pieces of at most 512 KiB into the open folder', async () => {
    const content = new Uint8Array(TRANSFER_CHUNK_BYTES + 10).map((_, i) => i % 251)
    const received: Uint8Array[] = []
    fake.handle('volumeFiles.uploadStart', (p) => ({ transferId: TRANSFER_1, path: `${p.directory}/${p.name}` }))
    fake.handle('volumeFiles.uploadChunk', (p) => {
      received.push(base64ToBytes(p.data))
      return { receivedBytes: p.offset + received.at(-1)!.length }
    })
    fake.handle('volumeFiles.uploadFinish', () => ({ path: 'logs/blob.bin', sizeBytes: content.length }))
    const wrapper = await openBrowser()
    await wrapper.get('button[aria-label="Open folder logs"]').trigger('click')
    await flushPromises()
    const input = wrapper.get('input[type="file"]')
    expect(input.attributes('aria-label')).toBe('Upload a file into /logs')
    Object.defineProperty(input.element, 'files', { value: [new File([content], 'blob.bin')] })
    await input.trigger('change')
    // reading the picked file is real async work, not just promises
    await vi.waitFor(() => expect(fake.calls('volumeFiles.uploadFinish')).toHaveLength(1))
    await flushPromises()
    expect(fake.calls('volumeFiles.uploadStart')).toEqual([{ hostId: 'h1', volume: 'data', directory: 'logs', name: 'blob.bin', sizeBytes: content.length, overwrite: false }])
    expect(fake.calls('volumeFiles.uploadChunk').map((c) => (c as { offset: number }).offset)).toEqual([0, TRANSFER_CHUNK_BYTES])
    const joined = new Uint8Array(content.length)
    received.reduce((at, piece) => (joined.set(piece, at), at + piece.length), 0)
    // compared as text: a deep equality of half a million numbers would be slow to report
    expect(received.map((r) => r.length)).toEqual([TRANSFER_CHUNK_BYTES, 10])
    expect(joined.join() === content.join()).toBe(true)
    expect(wrapper.get('[data-transfer="blob.bin"]').attributes('data-state')).toBe('done')
    // the folder is listed again so the new file shows
    expect(fake.calls('volumeFiles.list').at(-1)).toEqual({ hostId: 'h1', volume: 'data', path: 'logs' })
    wrapper.unmount()
  })

  it('shows an upload refusal from the agent', async () => {
    fake.handle('volumeFiles.uploadStart', () => {
      throw new ApiError('CONFLICT', 'a file named notes.txt already exists in /: choose to replace it to overwrite it')
    })
    const wrapper = await openBrowser()
    const input = wrapper.get('input[type="file"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], 'notes.txt')] })
    await input.trigger('change')
    await flushPromises()
    expect(wrapper.get('[data-upload-error]').text()).toContain('already exists')
    expect(fake.calls('volumeFiles.uploadChunk')).toEqual([])
    wrapper.unmount()
  })

  it('downloads a file from its pieces and saves it under its name', async () => {
    const pieces = ['hel', 'lo']
    fake.handle('volumeFiles.downloadStart', () => ({ transferId: TRANSFER_2, fileName: 'notes.txt', kind: 'file', sizeBytes: 5 }))
    fake.handle('volumeFiles.downloadChunk', () => {
      const data = pieces.shift()!
      return { data: btoa(data), bytesSent: 5 - pieces.join('').length, done: pieces.length === 0 }
    })
    let saved: Blob | undefined
    URL.createObjectURL = vi.fn((blob: Blob) => ((saved = blob), 'blob:fake'))
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('notes.txt')
    })
    const wrapper = await openBrowser()
    await wrapper.get('button[aria-label="Download notes.txt"]').trigger('click')
    await flushPromises()
    expect(click).toHaveBeenCalledOnce()
    expect(await saved!.text()).toBe('hello')
    expect(wrapper.get('[data-transfer="notes.txt"]').text()).toContain('downloaded 5B')
    click.mockRestore()
    wrapper.unmount()
  })

  it('shows the progress of a download and stops it when cancelled', async () => {
    const second = deferred<{ data: string; bytesSent: number; done: boolean }>()
    let calls = 0
    fake.handle('volumeFiles.downloadStart', () => ({ transferId: TRANSFER_3, fileName: 'logs.tar', kind: 'folder', sizeBytes: null }))
    fake.handle('volumeFiles.downloadChunk', () => (++calls === 1 ? { data: btoa('x'.repeat(2000)), bytesSent: 2000, done: false } : second.promise))
    fake.handle('volumeFiles.cancel', () => ({ cancelled: true }))
    const wrapper = await openBrowser()
    await wrapper.get('button[aria-label="Download logs"]').trigger('click')
    await flushPromises()
    const row = wrapper.get('[data-transfer="logs.tar"]')
    expect(row.text()).toContain('2kB so far')
    await wrapper.get('button[aria-label="Cancel logs.tar"]').trigger('click')
    second.resolve({ data: btoa('y'), bytesSent: 2001, done: false })
    await flushPromises()
    expect(fake.calls('volumeFiles.cancel')).toEqual([{ hostId: 'h1', transferId: TRANSFER_3 }])
    expect(row.attributes('data-state')).toBe('cancelled')
    expect(calls).toBe(2)
    expect(wrapper.find('[data-browser-error]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('renders only the rows in view for a folder of thousands of files, and says when cut short', async () => {
    listings[''] = {
      volume: 'data', path: '', cutShort: 'the folder has more than 5000 entries: only the first 5000 are listed',
      entries: Array.from({ length: 5000 }, (_, i) => entry(`f${String(i).padStart(4, '0')}`, 'file')),
    }
    const wrapper = await openBrowser()
    const rows = wrapper.findAll('tr[data-file]')
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.length).toBeLessThan(100)
    expect(wrapper.get('[data-cut-short]').text()).toContain('only the first 5000 are listed')
    wrapper.unmount()
  })
})
