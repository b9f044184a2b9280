// @vitest-environment jsdom
import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../renderer/src/api/api-error'
import { containerTableSetup } from './container-table-setup'
import { container, deferred, type FakeApi } from './fake-api'
import { choose, disabled, menuItem, openRowMenu } from './row-menu'

const web = container({ name: 'web' })
const gone = container({ name: 'gone', state: 'dead' })
const { fake: currentFake, mountTable } = containerTableSetup([web, gone])
let fake: FakeApi
beforeEach(() => (fake = currentFake()))

const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]')!
const field = () => dialog().querySelector<HTMLInputElement>('input[name="path"]')!
async function type(value: string): Promise<void> {
  field().value = value
  field().dispatchEvent(new Event('input'))
  await flushPromises()
}
async function submit(): Promise<void> {
  dialog().querySelector('form')!.dispatchEvent(new Event('submit'))
  await flushPromises()
}

describe('Export filesystem… (docker export)', () => {
  it('is in the row menu, titled with its docker command, and not offered for a dead container', async () => {
    const w = await mountTable()
    await openRowMenu(w, 'web')
    expect(menuItem('Export the filesystem of web').title).toBe('docker export web -o FILE')
    expect(menuItem('Export the filesystem of web').textContent?.trim()).toBe('Export filesystem…')
    expect(disabled(menuItem('Export the filesystem of web'))).toBe(false)
    await openRowMenu(w, 'gone')
    expect(disabled(menuItem('Export the filesystem of gone'))).toBe(true)
    expect(menuItem('Export the filesystem of gone').title).toBe('docker export gone -o FILE: the engine cannot export a dead container')
  })

  it('asks for a file here, refuses a relative path, and exports with its progress', async () => {
    const exported = deferred<{ path: string; bytes: number }>()
    fake.handle('containers.exportToFile', () => exported.promise)
    const w = await mountTable()
    await choose(w, 'web', 'Export the filesystem of web')
    expect(dialog().textContent).toContain('Export the filesystem of web')
    expect(field().value).toBe('~/web.tar')
    expect(dialog().querySelector('code')!.textContent).toBe('docker export web -o ~/web.tar')

    await type('web.tar')
    expect(dialog().querySelector('[role="alert"]')!.textContent).toContain('full path')
    await submit()
    expect(fake.calls('containers.exportToFile')).toEqual([])

    await type('/tmp/exports/web fs.tar')
    expect(dialog().querySelector('code')!.textContent).toBe("docker export web -o '/tmp/exports/web fs.tar'")
    await submit()
    expect(fake.calls('containers.exportToFile')).toEqual([{ hostId: 'h1', transferId: expect.any(String), container: web.id, path: '/tmp/exports/web fs.tar' }])
    const { transferId } = fake.calls('containers.exportToFile')[0] as { transferId: string }
    expect(dialog().querySelector('button[type="submit"]')!.textContent?.trim()).toBe('Exporting…')
    fake.emit('transfer.progress', { transferId, bytes: 1_500_000 })
    await flushPromises()
    expect(dialog().querySelector('progress')).not.toBeNull()
    expect(dialog().textContent).toContain('1.5MB')

    exported.resolve({ path: '/tmp/exports/web fs.tar', bytes: 3_000_000 })
    await flushPromises()
    expect(dialog().querySelector('[role="status"]')!.textContent).toBe('Exported 3MB to /tmp/exports/web fs.tar')
    expect(dialog().querySelector('progress')).toBeNull()
  })

  it('shows why the export failed, and can be tried again', async () => {
    fake.handle('containers.exportToFile', () => {
      throw new ApiError('PERMISSION_DENIED', 'cannot write /root/web.tar: permission denied')
    })
    const w = await mountTable()
    await choose(w, 'web', 'Export the filesystem of web')
    await type('/root/web.tar')
    await submit()
    expect(dialog().querySelector('[role="alert"]')!.textContent).toBe('cannot write /root/web.tar: permission denied')
    expect(dialog().querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(false)
  })
})
