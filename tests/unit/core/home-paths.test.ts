/**
 * `~/` in any path main reads means the home Berth was configured with (CoreOptions.homeDir),
 * not the OS user's: the tests and the lab give each run its own home.
 */
import { mkdtempSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BerthCore } from '../../../main/core/core'
import { expandHome } from '../../../main/core/paths'

function makeCore() {
  const home = mkdtempSync(join(tmpdir(), 'berth-home-'))
  const env = { DOCKER_HOST: `unix://${home}/no-engine.sock` }
  return { core: new BerthCore({ dataDir: home, agentDir: join(home, 'agent'), env, homeDir: home, autoConnect: false }), home }
}

describe('~ in paths', () => {
  it('expands ~ and ~/ only, in the home given', () => {
    expect(expandHome('~/.ssh/id_ed25519', '/h/me')).toBe('/h/me/.ssh/id_ed25519')
    expect(expandHome('~', '/h/me')).toBe('/h/me')
    expect(expandHome('~other/x', '/h/me')).toBe('~other/x')
    expect(expandHome('/srv/~/x', '/h/me')).toBe('/srv/~/x')
  })

  it('saves, loads and builds from the configured home, not the OS one', async () => {
    const { core, home } = makeCore()
    await core.start()
    expect(home).not.toBe(homedir())
    const save = await core.invoke('images.saveToFile', { hostId: 'h', transferId: 't1', images: ['app:1'], path: '~/missing/app.tar' })
    expect(save).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: `there is no folder ${home}/missing on this computer to save into` } })
    const load = await core.invoke('images.loadFromFile', { hostId: 'h', transferId: 't2', path: '~/none.tar' })
    expect(load).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: `there is no file ${home}/none.tar on this computer` } })
    const build = await core.invoke('images.build', { hostId: 'h', buildId: 'b1', context: '~/no-context' })
    expect(build).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: `there is no folder ${home}/no-context on this computer to build from` } })
  })
})
