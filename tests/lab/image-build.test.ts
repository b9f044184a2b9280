/**
 * docker build of a folder on this computer, on a lab host: .dockerignore respected, build
 * arguments and tags applied, output streamed, and a failing step named. Checked with the
 * docker CLI on the host.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const tag = `build/app:${process.pid}`
let t: TestCore
let view: HostView
let context: string

beforeAll(async () => {
  context = mkdtempSync(join(tmpdir(), 'berth-build-'))
  mkdirSync(join(context, 'src'))
  writeFileSync(join(context, 'src', 'hello.txt'), 'hello from the context\n')
  writeFileSync(join(context, 'secret.txt'), 'must not leave this computer\n')
  writeFileSync(join(context, '.dockerignore'), 'secret.txt\n')
  writeFileSync(
    join(context, 'Dockerfile'),
    `FROM ${lab.image}\nARG GREETING=unset\nCOPY . /app\nRUN echo "greeting=$GREETING" > /app/greeting\nCMD ["cat", "/app/greeting"]\n`,
  )
  writeFileSync(join(context, 'Failing.Dockerfile'), `FROM ${lab.image}\nRUN echo before\nRUN exit 3\n`)
  t = await startCore()
  view = await connectLabHost(t.core, lab, h1)
})
afterAll(async () => {
  await t.core.close()
  await docker(h1, 'rmi', '-f', tag).catch(() => {})
})

const outputOf = (buildId: string) =>
  t.events.filter((e) => e.event === 'build.output' && e.payload.buildId === buildId).map((e) => String(e.payload.text)).join('')

describe('docker build', () => {
  it('builds a folder with its build arguments and tags, leaving out what .dockerignore names', async () => {
    const built = await call(t.core, 'images.build', {
      hostId: view.id,
      buildId: 'build-1',
      context,
      tags: [tag],
      buildArgs: ['GREETING=hi there'],
    })
    expect(built.imageId).toBe(await docker(h1, 'image', 'inspect', '-f', '{{.Id}}', tag))
    expect(await docker(h1, 'run', '--rm', '--network', 'none', tag)).toBe('greeting=hi there')
    expect(await docker(h1, 'run', '--rm', '--network', 'none', tag, 'cat', '/app/src/hello.txt')).toBe('hello from the context')
    expect(await docker(h1, 'run', '--rm', '--network', 'none', tag, 'ls', '/app')).not.toContain('secret.txt')
    // the output arrived as it was printed, step by step
    expect(outputOf('build-1')).toMatch(/Step 1\/5 : FROM[\s\S]*Step 5\/5 : CMD/)
    expect(built.contextBytes).toBeGreaterThan(0)
  })

  it('names the step that failed, with the engine output up to it', async () => {
    const failed = await t.core.invoke('images.build', { hostId: view.id, buildId: 'build-2', context, dockerfile: 'Failing.Dockerfile' })
    expect(failed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Step 3/3 : RUN exit 3') } })
    expect(outputOf('build-2')).toContain('before')
  })

  it('refuses a missing folder, a missing Dockerfile and a Dockerfile outside the context before sending anything', async () => {
    const build = (params: Record<string, unknown>) => t.core.invoke('images.build', { hostId: view.id, buildId: 'bad', context, ...params })
    expect(await build({ context: join(context, 'nope') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no folder') } })
    expect(await build({ dockerfile: 'Other.Dockerfile' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('Other.Dockerfile') } })
    expect(await build({ dockerfile: '../Dockerfile' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await build({ buildArgs: ['NOEQUALS'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('build argument') } })
    expect(await build({ tags: ['UPPER/case'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})
