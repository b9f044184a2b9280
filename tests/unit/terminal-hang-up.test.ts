/**
 * Closing an exec terminal hangs up its processes through a second exec in the container. That
 * exec must not trust the image: it runs /bin/sh by its absolute path, with a PATH of the
 * system's folders only, and as the exec's own user, never as root. The engine here is a
 * stand-in that records what it is asked to run.
 */
import { PassThrough } from 'node:stream'
import type Docker from 'dockerode'
import { describe, expect, it } from 'vitest'
import { ExecSource } from '../../agent/terminals/docker-sources'

/** An engine with one running container; every exec it is asked to create, in order. */
function engine(): { docker: Docker; execs: Array<Record<string, unknown>> } {
  const execs: Array<Record<string, unknown>> = []
  const container = {
    inspect: async () => ({ Id: 'c1', Name: '/web', State: { Running: true, Paused: false, Status: 'running' }, Config: { Tty: false } }),
    exec: async (options: Record<string, unknown>) => {
      execs.push(options)
      const first = execs.length === 1
      return {
        start: async () => (first ? new PassThrough() : undefined),
        resize: async () => {},
        // the terminal's exec runs until hung up; the hang-up itself ends at once
        inspect: async () => ({ Running: first, ExitCode: null }),
      }
    },
  }
  return { docker: { getContainer: () => container } as unknown as Docker, execs }
}

async function hangUp(spec: { user?: string }): Promise<Record<string, unknown>> {
  const { docker, execs } = engine()
  const source = await ExecSource.open(docker, { container: 'web', command: ['sleep', '100'], cols: 80, rows: 24, ...spec })
  source.close()
  await expect.poll(() => execs.length).toBe(2)
  return execs[1]!
}

describe("an exec terminal's hang-up", () => {
  it('runs /bin/sh by its absolute path with the system PATH, whatever the image says', async () => {
    const exec = await hangUp({})
    expect((exec.Cmd as string[])[0]).toBe('/bin/sh')
    expect(exec.Env).toEqual(['PATH=/usr/sbin:/usr/bin:/sbin:/bin'])
  })

  it("runs as the exec's own user: the one asked for, else the container's, never root by itself", async () => {
    expect(await hangUp({ user: 'app' })).toMatchObject({ User: 'app' })
    expect(await hangUp({})).not.toHaveProperty('User')
  })
})
