/**
 * Images, networks and volumes changed on a host by someone else (here the docker CLI) reach
 * Berth as engine.objectChanged events, which keep the window's lists current.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
let t: TestCore
let view: HostView

const cleanup = async () => {
  await docker(h1, 'network', 'rm', 'oe-net').catch(() => {})
  await docker(h1, 'volume', 'rm', 'oe-vol').catch(() => {})
  await docker(h1, 'rmi', 'oe/img:1').catch(() => {})
}

beforeAll(async () => {
  await cleanup()
  t = await startCore()
  view = await connectLabHost(t.core, lab, h1)
})
afterAll(async () => {
  await t.core.close()
  await cleanup()
})

const seen = (kind: string, action: string) =>
  t.events.some((e) => e.event === 'engine.objectChanged' && e.payload.hostId === view.id && e.payload.kind === kind && e.payload.action === action)

describe('changes made outside Berth', () => {
  it('arrive for networks, volumes and images as the CLI makes them', async () => {
    await docker(h1, 'network', 'create', 'oe-net')
    await docker(h1, 'volume', 'create', 'oe-vol')
    await docker(h1, 'tag', lab.image, 'oe/img:1')
    await expect.poll(() => seen('network', 'create'), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => seen('volume', 'create'), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => seen('image', 'tag'), { timeout: 10_000 }).toBe(true)
    await docker(h1, 'network', 'rm', 'oe-net')
    await expect.poll(() => seen('network', 'destroy'), { timeout: 10_000 }).toBe(true)
  })
})
