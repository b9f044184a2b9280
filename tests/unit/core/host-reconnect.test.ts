/**
 * A host whose link dropped is not in error: Berth is trying again by itself. Its view says
 * "reconnecting", which attempt comes next and when, and keeps saying so through tries that
 * fail the same way; hosts.connect ("Retry now") tries at once. The host here is this computer,
 * its agent the real one (run from source), whose process the test ends to cut the link.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostLink } from '../../../main/core/hosts/host-link'
import type { HostView } from '../../../protocol/schema'

const root = join(import.meta.dirname, '../../..')
const tsx = createRequire(join(root, 'package.json')).resolve('tsx/cjs')
/** The agent from source, writing its pid where the test can end it. */
const agent = (pidFile: string) =>
  `require(${JSON.stringify(tsx)}); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); require(${JSON.stringify(join(root, 'agent/runtime/main.ts'))})\n`

let work = ''
let link: HostLink | undefined
const views: HostView[] = []

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-reconnect-'))
  await writeFile(join(work, 'manifest.json'), JSON.stringify({ version: 'dev', sha256: '', file: 'agent.cjs', pty: {} }))
  await writeFile(join(work, 'agent.cjs'), agent(join(work, 'pid')))
  views.length = 0
})
afterEach(async () => {
  link?.disconnect()
  await rm(work, { recursive: true, force: true })
})

function localLink(): HostLink {
  return new HostLink(
    { id: 'local', name: 'this computer', address: 'localhost', port: 0, user: '', local: true },
    {
      ssh: { homeDir: work, knownHostsFiles: [] },
      agentDir: work,
      processEnv: { ...process.env, DOCKER_HOST: `unix://${work}/no-engine.sock` },
      emit: (event, payload) => event === 'host.stateChanged' && views.push(payload as HostView),
      savedHost: () => undefined,
      forgetPassword: () => {},
    },
  )
}

describe('a host whose link dropped', { timeout: 60_000 }, () => {
  it('says it is reconnecting, which attempt and when, through failed tries, and Retry now connects at once', async () => {
    link = localLink()
    expect(await link.connect()).toMatchObject({ state: 'connected' })

    // the link drops, and every try fails the same way for now
    await writeFile(join(work, 'agent.cjs'), 'process.exit(1)\n')
    const cutAt = Date.now()
    process.kill(Number(readFileSync(join(work, 'pid'), 'utf8')))
    await expect.poll(() => link!.snapshot.state).toBe('reconnecting')
    const first = link.snapshot
    expect(first).toMatchObject({ reconnect: { attempt: 1 }, error: { code: 'UNREACHABLE' } })
    expect(first.reconnect!.nextTryAt - cutAt).toBeGreaterThanOrEqual(900)
    expect(first.reconnect!.nextTryAt - cutAt).toBeLessThan(2_000)

    // the first try (after 1 s) fails: the second comes 2 s later, and the host never said error
    await expect.poll(() => link!.snapshot.reconnect?.attempt, { timeout: 10_000 }).toBe(2)
    expect(link.snapshot.state).toBe('reconnecting')
    expect(link.snapshot.reconnect!.nextTryAt - Date.now()).toBeGreaterThan(1_000)
    expect(views.slice(views.indexOf(first)).map((v) => v.state)).not.toContain('error')

    // Retry now, with the agent back: connected at once, and nothing left of the reconnect
    await writeFile(join(work, 'agent.cjs'), agent(join(work, 'pid')))
    const retried = await link.connect()
    expect(retried.state).toBe('connected')
    expect(retried.reconnect).toBeUndefined()
  })

  it('stops reconnecting when the user disconnects', async () => {
    link = localLink()
    await link.connect()
    await writeFile(join(work, 'agent.cjs'), 'process.exit(1)\n')
    process.kill(Number(readFileSync(join(work, 'pid'), 'utf8')))
    await expect.poll(() => link!.snapshot.state).toBe('reconnecting')
    expect(link.disconnect()).toMatchObject({ state: 'disconnected' })
    expect(link.snapshot.reconnect).toBeUndefined()
    await new Promise((r) => setTimeout(r, 1_500))
    expect(link.snapshot.state).toBe('disconnected')
  })
})
