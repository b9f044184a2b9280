// @vitest-environment jsdom
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContainerSummary } from '../../protocol/schema'
import { provideApi } from '../../renderer/src/api/use-api'
import { containerStateLabel } from '../../renderer/src/ui/format'
import { useContainersStore } from '../../renderer/src/features/containers/containers-store'
import { useHostsStore } from '../../renderer/src/features/hosts/hosts-store'
import { container, createFakeApi, deferred, host, type FakeApi } from './fake-api'

let fake: FakeApi
let restore: () => void

const web = container({ name: 'web', state: 'running' })
const db = container({ name: 'db', state: 'exited', exitCode: 0 })

beforeEach(() => {
  fake = createFakeApi()
  restore = provideApi(fake.api)
  setActivePinia(createPinia())
  fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'connected' })])
  fake.handle('containers.list', () => [web, db])
})

afterEach(() => restore())

async function started() {
  const hosts = useHostsStore()
  const containers = useContainersStore()
  await hosts.load()
  await flushPromises()
  return { hosts, containers }
}

const names = (list: ContainerSummary[]) => list.map((c) => c.name)

describe('containers store', () => {
  it('fetches the list of a connected host once at start, sorted by name', async () => {
    const { containers } = await started()
    expect(fake.calls('containers.list')).toEqual([{ hostId: 'h1' }])
    expect(names(containers.containersOf('h1'))).toEqual(['db', 'web'])
    expect(containers.lists.h1).toEqual({ loading: false, loaded: true })
  })

  it('turns a running container into "exited (3)" on container.stateChanged', async () => {
    const { containers } = await started()
    fake.emit('container.stateChanged', {
      hostId: 'h1',
      id: web.id,
      action: 'die',
      container: { ...web, state: 'exited', exitCode: 3, status: 'Exited (3) 1 second ago' },
    })
    const row = containers.containersOf('h1').find((c) => c.id === web.id)
    expect(row && containerStateLabel(row)).toBe('exited (3)')
    expect(fake.calls('containers.list')).toHaveLength(1)
  })

  it('removes a container when the event carries null (destroy)', async () => {
    const { containers } = await started()
    fake.emit('container.stateChanged', { hostId: 'h1', id: db.id, action: 'destroy', container: null })
    expect(names(containers.containersOf('h1'))).toEqual(['web'])
  })

  it('adds a container it has not seen (create)', async () => {
    const { containers } = await started()
    const api = container({ name: 'api', state: 'created' })
    fake.emit('container.stateChanged', { hostId: 'h1', id: api.id, action: 'create', container: api })
    expect(names(containers.containersOf('h1'))).toEqual(['api', 'db', 'web'])
  })

  it('replays events that arrive while the list is in flight on top of its answer', async () => {
    const list = deferred<ContainerSummary[]>()
    fake.handle('containers.list', () => list.promise)
    const hosts = useHostsStore()
    const containers = useContainersStore()
    await hosts.load()
    await flushPromises()
    expect(containers.lists.h1?.loading).toBe(true)

    fake.emit('container.stateChanged', { hostId: 'h1', id: db.id, action: 'destroy', container: null })
    list.resolve([web, db]) // taken before the destroy
    await flushPromises()
    expect(names(containers.containersOf('h1'))).toEqual(['web'])
  })

  it('fetches when a host becomes connected, and only once', async () => {
    fake.handle('hosts.list', () => [host({ id: 'h1', name: 'alpha', state: 'disconnected' })])
    const { containers } = await started()
    expect(fake.calls('containers.list')).toHaveLength(0)

    fake.emit('host.stateChanged', host({ id: 'h1', name: 'alpha', state: 'connecting' }))
    fake.emit('host.stateChanged', host({ id: 'h1', name: 'alpha', state: 'connected' }))
    await flushPromises()
    fake.emit('host.stateChanged', host({ id: 'h1', name: 'alpha', state: 'connected', engineVersion: '27.3.1' }))
    await flushPromises()
    expect(fake.calls('containers.list')).toEqual([{ hostId: 'h1' }])
    expect(names(containers.containersOf('h1'))).toEqual(['db', 'web'])
  })

  it('drops a host\'s containers when it disconnects', async () => {
    const { containers } = await started()
    fake.emit('host.stateChanged', host({ id: 'h1', name: 'alpha', state: 'disconnected' }))
    await flushPromises()
    expect(containers.containersOf('h1')).toEqual([])
    expect(containers.lists.h1).toBeUndefined()
  })

  it('keeps a list error for the host', async () => {
    fake.handle('containers.list', () => Promise.reject(new Error('boom')))
    const { containers } = await started()
    expect(containers.lists.h1?.error?.message).toBe('boom')
  })

  it('refetches when the engine comes back', async () => {
    await started()
    fake.emit('engine.stateChanged', { hostId: 'h1', available: false, message: 'socket closed' })
    fake.emit('engine.stateChanged', { hostId: 'h1', available: true })
    await flushPromises()
    expect(fake.calls('containers.list')).toHaveLength(2)
  })

  it('marks a start in flight and records its error on the row', async () => {
    const { containers } = await started()
    const call = deferred<{ id: string }>()
    fake.handle('containers.start', () => call.promise)
    const done = containers.start('h1', db.id)
    expect(fake.calls('containers.start')).toEqual([{ hostId: 'h1', id: db.id }])
    expect(containers.rows.h1?.[db.id]?.pending).toBe('start')

    call.reject(new Error('port 80 is already allocated'))
    await done
    expect(containers.rows.h1?.[db.id]).toEqual({ error: { code: 'INTERNAL', message: 'port 80 is already allocated' } })
  })

  it('stops with containers.stop and clears the row when it succeeds', async () => {
    const { containers } = await started()
    fake.handle('containers.stop', ({ id }) => ({ id }))
    await containers.stop('h1', web.id)
    expect(fake.calls('containers.stop')).toEqual([{ hostId: 'h1', id: web.id }])
    expect(containers.rows.h1?.[web.id]).toEqual({})
  })

  it('kills with SIGKILL unless told otherwise, and passes the signal given', async () => {
    const { containers } = await started()
    fake.handle('containers.kill', ({ id }) => ({ id }))
    await containers.kill('h1', web.id)
    await containers.kill('h1', web.id, 'SIGTERM')
    expect(fake.calls('containers.kill')).toEqual([{ hostId: 'h1', id: web.id }, { hostId: 'h1', id: web.id, signal: 'SIGTERM' }])
  })

  it('removes with the chosen options and says whether a rename was accepted', async () => {
    const { containers } = await started()
    fake.handle('containers.remove', ({ id }) => ({ id }))
    fake.handle('containers.rename', ({ id, name }) => {
      if (name === 'web') throw new Error('the name web is already in use by another container')
      return { id, name }
    })
    await containers.remove('h1', db.id, { force: true, removeVolumes: false })
    expect(fake.calls('containers.remove')).toEqual([{ hostId: 'h1', id: db.id, force: true, removeVolumes: false }])
    expect(await containers.rename('h1', db.id, 'web')).toMatchObject({ ok: false })
    expect(containers.rows.h1?.[db.id]?.error?.message).toBe('the name web is already in use by another container')
    expect(await containers.rename('h1', db.id, 'db2')).toEqual({ ok: true, value: undefined })
    expect(containers.rows.h1?.[db.id]).toEqual({})
  })

  it('runs one action at a time per container', async () => {
    const { containers } = await started()
    const call = deferred<{ id: string }>()
    fake.handle('containers.pause', () => call.promise)
    fake.handle('containers.kill', ({ id }) => ({ id }))
    const pausing = containers.pause('h1', web.id)
    expect(await containers.kill('h1', web.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(fake.calls('containers.kill')).toEqual([])
    call.resolve({ id: web.id })
    expect(await pausing).toEqual({ ok: true, value: undefined })
  })
})
