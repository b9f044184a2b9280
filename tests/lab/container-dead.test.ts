/**
 * A dead container, made the way it really happens: the engine could not delete the
 * container's folder during `docker rm -f`, so it marks the container Dead and keeps it.
 *
 * The classic cause is a mount inside the folder ("device or resource busy"), but dockerd
 * 20.10 gets past that one by itself: on EBUSY it unmounts (lazily) and tries again, so a tmpfs
 * in <data-root>/containers/<id>/, read-write or read-only, never made a container dead here.
 * What it cannot get past is a file it may not delete, so the test pins one with `chattr +i`
 * (immutable; "operation not permitted", as on a filesystem with such a file or a failing disk).
 *
 * Checked as a user would: the list says dead, start is refused in the engine's words, remove
 * fails naming the file while it is pinned and succeeds once it is not, and the window shows
 * the state and offers only what the engine accepts for a dead container.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'
import { startWebApp, type WebApp } from './support/web-app'

const run = promisify(execFile)
const lab = readLab()
const h1 = labHost(lab, 'h1')
const DEAD = 'dead-pinned'
const RENAMED = 'dead-pinned-2'
const PIN = 'berth-test-pinned'

let t: TestCore
let hostId: string
/** Files made immutable by this file, to free in afterAll whatever happens. */
const pinned: string[] = []

beforeAll(async () => {
  await cleanup()
  t = await startCore()
  hostId = (await connectLabHost(t.core, lab, h1)).id
})
afterAll(async () => {
  await t?.core.close()
  await cleanup()
})

async function cleanup(): Promise<void> {
  for (const file of pinned.splice(0)) await run('chattr', ['-i', file]).catch(() => {})
  const leftovers = (await docker(h1, 'ps', '-aq', '--no-trunc', '--filter', 'name=^dead-')).split('\n').filter(Boolean)
  for (const id of leftovers) {
    // a dead one left by an interrupted run: free its file before removing it
    await run('chattr', ['-i', join(await dataRoot(), 'containers', id, PIN)]).catch(() => {})
    await docker(h1, 'rm', '-f', id).catch(() => {})
  }
}

const dataRoot = () => docker(h1, 'info', '-f', '{{.DockerRootDir}}')

/** Creates a container and has the engine fail to remove it: it stays, marked dead. */
async function makeDead(name: string): Promise<string> {
  const id = await docker(h1, 'create', '--name', name, '--network', 'none', lab.image, 'sleep', '1000')
  const file = join(await dataRoot(), 'containers', id, PIN)
  await run('touch', [file])
  await run('chattr', ['+i', file])
  pinned.push(file)
  await expect(docker(h1, 'rm', '-f', name)).rejects.toThrow(/unable to remove filesystem/)
  expect(await docker(h1, 'inspect', '-f', '{{.State.Status}} {{.State.Dead}}', name)).toBe('dead true')
  return file
}

const listed = async (name: string) => (await call(t.core, 'containers.list', { hostId })).find((c) => c.name === name)

const cliState = (name: string) => docker(h1, 'ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.State}}')

describe('a dead container', () => {
  let file: string

  it('is listed as the engine lists it: "removing" (Removal In Progress) right after the failed rm', async () => {
    file = await makeDead(DEAD)
    // the engine's list is not brought up to date when the removal fails (inspect is): same in the CLI
    expect(await cliState(DEAD)).toBe('removing')
    expect(await listed(DEAD)).toMatchObject({ state: 'removing' })
  })

  it("cannot be started, and the refusal says why in the engine's words", async () => {
    const answer = await t.core.invoke('containers.start', { hostId, id: DEAD })
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringContaining('marked for removal and cannot be started') } })
    expect(await docker(h1, 'inspect', '-f', '{{.State.Status}}', DEAD)).toBe('dead')
  })

  it('fails to be removed while its file is pinned, with a message naming the file', async () => {
    const answer = await t.core.invoke('containers.remove', { hostId, id: DEAD, force: true })
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringContaining('unable to remove filesystem') } })
    expect(!answer.ok && answer.error.message).toContain(`${file}: operation not permitted`)
    expect(await docker(h1, 'ps', '-a', '--filter', `name=^${DEAD}$`, '--format', '{{.Names}}')).toBe(DEAD)
  })

  it('can be renamed (the engine allows it, and it frees the name), after which it is listed as dead', async () => {
    await call(t.core, 'containers.rename', { hostId, id: DEAD, name: RENAMED })
    expect(await docker(h1, 'inspect', '-f', '{{.Name}} {{.State.Status}}', RENAMED)).toBe(`/${RENAMED} dead`)
    await call(t.core, 'containers.rename', { hostId, id: RENAMED, name: DEAD })
    expect(await cliState(DEAD)).toBe('dead')
    expect(await listed(DEAD)).toMatchObject({ state: 'dead' })
  })

  it('is removed through Berth once the file is free, and docker ps -a no longer lists it', async () => {
    await run('chattr', ['-i', file])
    pinned.splice(pinned.indexOf(file), 1)
    await call(t.core, 'containers.remove', { hostId, id: DEAD })
    expect(await docker(h1, 'ps', '-a', '--filter', `name=^${DEAD}$`, '--format', '{{.Names}}')).toBe('')
    expect(await listed(DEAD)).toBeUndefined()
  })
})

describe('a dead container in the window', () => {
  const DEAD_ROW = 'dead-shown'
  const STUCK_ROW = 'dead-stuck'
  let app: WebApp | undefined
  let browser: Browser | undefined
  let page: Page

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const enabledIn = async (scope: Locator): Promise<string[]> => {
    const names: string[] = []
    for (const b of await scope.getByRole('button').all()) if (await b.isEnabled()) names.push((await b.textContent())!.trim())
    return names
  }
  /** The items of a row's menu a user can pick (the menu is left open). */
  const enabledInMenu = async (container: string): Promise<string[]> => {
    if (await page.getByRole('menu').count()) await page.keyboard.press('Escape')
    await page.getByRole('button', { name: `Actions for ${container}`, exact: true }).click()
    const items = page.getByRole('menu').getByRole('menuitem')
    await items.first().waitFor()
    const names: string[] = []
    for (const i of await items.all()) if ((await i.getAttribute('aria-disabled')) !== 'true') names.push((await i.textContent())!.trim())
    return names
  }

  it('shows the dead and removing badges, and offers only what the engine accepts', async () => {
    await makeDead(STUCK_ROW)
    await makeDead(`${DEAD_ROW}-0`)
    await docker(h1, 'rename', `${DEAD_ROW}-0`, DEAD_ROW) // brings the engine's list up to date: dead
    // this computer's host, pointed at h1's engine: it connects by itself
    app = await startWebApp({ DOCKER_HOST: h1.dockerHost })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(app.url)
    const dead = page.locator(`tr[data-container="${DEAD_ROW}"]`)
    const stuck = page.locator(`tr[data-container="${STUCK_ROW}"]`)
    await expect.poll(() => dead.locator('.badge[data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('dead')
    expect(await dead.locator('.badge[data-state]').textContent()).toContain('dead')
    expect(await stuck.locator('.badge[data-state]').getAttribute('data-state')).toBe('removing')

    // no start, stop, restart, pause, kill, exec or attach for either, and no commit: the
    // engine refuses to commit a dead container
    expect(await enabledIn(dead.locator('td.actions'))).toEqual(['Remove', '⋯'])
    expect(await enabledInMenu(DEAD_ROW)).toEqual(['Rename…', 'Remove…'])
    expect(await enabledInMenu(STUCK_ROW)).toEqual(['Remove…'])
    expect(await page.getByRole('menuitem', { name: `Commit ${STUCK_ROW}` }).getAttribute('aria-disabled')).toBe('true')
    await page.keyboard.press('Escape')

    await page.getByLabel(`Select ${DEAD_ROW}`).check()
    await page.getByLabel(`Select ${STUCK_ROW}`).check()
    const bar = page.getByRole('toolbar', { name: '2 containers selected' })
    expect(await enabledIn(bar)).toEqual(['Remove… (2)', 'Clear selection'])
  })
})
