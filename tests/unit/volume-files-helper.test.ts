/** The helper container's life: made only for an existing volume, reused, removed when idle. */
import type Docker from 'dockerode'
import { describe, expect, it, vi } from 'vitest'
import { VolumeHelpers } from '../../agent/volume-files/helper'

function engineError(statusCode: number): Error {
  return Object.assign(new Error(`status ${statusCode}`), { statusCode })
}

/** Just the engine calls the helper manager makes, recorded. */
function fakeDocker(options: { volumes?: string[]; leftovers?: Array<{ Id: string }> } = {}) {
  const log: string[] = []
  let imagePresent = true
  const docker = {
    getVolume: (name: string) => ({
      inspect: async () => {
        if (!(options.volumes ?? ['data']).includes(name)) throw engineError(404)
        return { Name: name }
      },
    }),
    listContainers: async () => options.leftovers ?? [],
    getImage: () => ({
      inspect: async () => {
        if (!imagePresent) throw engineError(404)
        return {}
      },
      remove: async () => {
        log.push('rmi')
        imagePresent = false
      },
    }),
    createContainer: async (opts: { name: string; HostConfig: { Mounts: Array<{ Source: string }> } }) => {
      log.push(`create ${opts.name} ${opts.HostConfig.Mounts.map((m) => m.Source).join()}`)
      return { id: 'helper-1' }
    },
    getContainer: (id: string) => ({ id, remove: async () => log.push(`rm ${id}`) }),
  }
  return { docker: docker as unknown as Docker, log }
}

describe('VolumeHelpers', () => {
  it('makes one helper per volume, mounting only it, and shares it between uses', async () => {
    const { docker, log } = fakeDocker()
    const helpers = new VolumeHelpers(docker, 60_000)
    await Promise.all([helpers.use('data', async () => 1), helpers.use('data', async () => 2)])
    expect(log).toEqual(['create berth-volume-files-data data'])
    expect(await helpers.close('data')).toBe(true)
    expect(log).toEqual(['create berth-volume-files-data data', 'rm helper-1', 'rmi'])
  })

  it('refuses a volume that does not exist, rather than let the engine create it', async () => {
    const { docker, log } = fakeDocker({ volumes: [] })
    const helpers = new VolumeHelpers(docker)
    await expect(helpers.use('nope', async () => 1)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no volume named nope on this host' })
    expect(log).toEqual([])
  })

  it('reuses a helper an earlier agent left behind', async () => {
    const { docker, log } = fakeDocker({ leftovers: [{ Id: 'old-helper' }] })
    const helpers = new VolumeHelpers(docker)
    const id = await helpers.use('data', async (c) => c.id)
    expect(id).toBe('old-helper')
    expect(log).toEqual([])
    await helpers.closeAll()
  })

  it('removes the helper after its idle time, but never while a transfer holds it', async () => {
    vi.useFakeTimers()
    try {
      const { docker, log } = fakeDocker()
      const helpers = new VolumeHelpers(docker, 1_000)
      const held = await helpers.acquire('data')
      expect(await helpers.close('data')).toBe(false)
      await vi.advanceTimersByTimeAsync(5_000)
      expect(log).not.toContain('rm helper-1')
      held.release()
      await vi.advanceTimersByTimeAsync(999)
      expect(log).not.toContain('rm helper-1')
      await vi.advanceTimersByTimeAsync(10)
      expect(log).toEqual(['create berth-volume-files-data data', 'rm helper-1', 'rmi'])
    } finally {
      vi.useRealTimers()
    }
  })
})
