/**
 * Moving images, checked with the docker CLI on the hosts: save to a file here and load it
 * on another host (same image ID), import a root filesystem tarball with a CMD, copy straight
 * from host to host with progress, and the platform check before a copy.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { call, connectLabHost, startCore, type TestCore } from './support/core'
import { docker, labHost, readLab, type LabHost } from './support/lab'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const h2 = labHost(lab, 'h2')
const work = mkdtempSync(join(tmpdir(), 'berth-xfer-'))
const tag = `${process.pid}`
const own = { amd: `xfer/own:${tag}`, arm: `xfer/arm:${tag}`, imported: `xfer/imported:${tag}` }
let t: TestCore
let v1: HostView
let v2: HostView

/** An image FROM scratch holding one file (no emulation needed to build any platform). */
function buildScratch(host: LabHost, reference: string, platform: string): void {
  const dir = mkdtempSync(join(work, 'ctx-'))
  writeFileSync(join(dir, 'marker'), `${reference} ${Math.random()}\n`)
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY marker /marker\n')
  execFileSync('/usr/bin/docker', ['-H', host.dockerHost, 'build', '-q', '--platform', platform, '-t', reference, dir], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  })
}

const imageId = (host: LabHost, ref: string) => docker(host, 'image', 'inspect', '-f', '{{.Id}}', ref)
const cleanup = async () => {
  for (const host of [h1, h2]) await docker(host, 'rmi', '-f', ...Object.values(own)).catch(() => {})
}

beforeAll(async () => {
  await cleanup()
  buildScratch(h1, own.amd, 'linux/amd64')
  buildScratch(h1, own.arm, 'linux/arm64')
  t = await startCore()
  v1 = await connectLabHost(t.core, lab, h1)
  v2 = await connectLabHost(t.core, lab, h2)
})
afterAll(async () => {
  await t.core.close()
  await cleanup()
})

const progressOf = (transferId: string) =>
  t.events.filter((e) => e.event === 'transfer.progress' && e.payload.transferId === transferId).map((e) => e.payload as { bytes: number; totalBytes?: number })

describe('save and load', () => {
  it('saves an image to a tar file here and loads it on another host with the same image ID', async () => {
    const path = join(work, 'own.tar')
    const saved = await call(t.core, 'images.saveToFile', { hostId: v1.id, transferId: 'save-1', images: [own.amd], path })
    expect(saved.bytes).toBe(statSync(path).size)
    expect(existsSync(`${path}.part`)).toBe(false)
    expect(execFileSync('tar', ['-tf', path], { encoding: 'utf8' })).toContain('manifest.json')
    expect(progressOf('save-1').at(-1)).toMatchObject({ bytes: saved.bytes })

    const loaded = await call(t.core, 'images.loadFromFile', { hostId: v2.id, transferId: 'load-1', path })
    expect(loaded.loaded).toEqual([own.amd])
    expect(await imageId(h2, own.amd)).toBe(await imageId(h1, own.amd))
  })

  it('refuses what it cannot do with a message that names the problem, and leaves nothing behind', async () => {
    const bad = (params: Record<string, unknown>) => t.core.invoke('images.loadFromFile', { hostId: v2.id, transferId: 'bad', ...params })
    expect(await bad({ path: 'relative/file.tar' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('full path') } })
    expect(await bad({ path: join(work, 'missing.tar') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('missing.tar') } })
    // a cut tar: the engine refuses it whole
    const whole = readFileSync(join(work, 'own.tar'))
    writeFileSync(join(work, 'cut.tar'), whole.subarray(0, Math.floor(whole.length / 2)))
    await docker(h2, 'rmi', '-f', own.amd)
    const cut = await bad({ path: join(work, 'cut.tar') })
    expect(cut.ok).toBe(false)
    await expect(imageId(h2, own.amd)).rejects.toThrow()
    const save = await t.core.invoke('images.saveToFile', { hostId: v1.id, transferId: 'bad', images: ['no/such-image:1'], path: join(work, 'x.tar') })
    expect(save).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(existsSync(join(work, 'x.tar.part'))).toBe(false)
    const nowhere = await t.core.invoke('images.saveToFile', { hostId: v1.id, transferId: 'bad', images: [own.amd], path: '/no/such/dir/x.tar' })
    expect(nowhere).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('/no/such/dir') } })
  })
})

describe('import', () => {
  it('makes an image from a root filesystem tarball, with a CMD, that runs', async () => {
    const root = mkdtempSync(join(work, 'rootfs-'))
    execFileSync('cp', [execFileSync('bash', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim(), join(root, 'busybox')])
    execFileSync('tar', ['-C', root, '-cf', join(work, 'rootfs.tar'), 'busybox'])
    const made = await call(t.core, 'images.importFromFile', {
      hostId: v1.id,
      transferId: 'import-1',
      path: join(work, 'rootfs.tar'),
      reference: own.imported,
      changes: ['CMD ["/busybox", "echo", "imported-ok"]'],
      message: 'from a tarball',
    })
    expect(made.id).toBe(await imageId(h1, own.imported))
    expect(await docker(h1, 'run', '--rm', '--network', 'none', own.imported)).toBe('imported-ok')
    const bad = await t.core.invoke('images.importFromFile', { hostId: v1.id, transferId: 'x', path: join(work, 'rootfs.tar'), changes: ['RUN echo no'] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})

describe('copy between hosts', () => {
  it('streams an image from one host to another with progress, keeping its ID', async () => {
    await docker(h2, 'rmi', '-f', own.amd).catch(() => {})
    const copied = await call(t.core, 'images.copy', { fromHostId: v1.id, toHostId: v2.id, transferId: 'copy-1', image: own.amd })
    expect(copied.loaded).toEqual([own.amd])
    expect(await imageId(h2, own.amd)).toBe(await imageId(h1, own.amd))
    const progress = progressOf('copy-1')
    expect(progress.at(-1)).toMatchObject({ bytes: copied.bytes })
    expect(progress[0]!.totalBytes).toBeGreaterThan(0)
  })

  it('warns before copying an image the target cannot run, and copies it when told to', async () => {
    const refused = await t.core.invoke('images.copy', { fromHostId: v1.id, toHostId: v2.id, transferId: 'copy-2', image: own.arm })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('exec format error'), detail: { imagePlatform: 'arm64', hostArch: 'amd64' } },
    })
    await expect(imageId(h2, own.arm)).rejects.toThrow()
    await call(t.core, 'images.copy', { fromHostId: v1.id, toHostId: v2.id, transferId: 'copy-3', image: own.arm, anyPlatform: true })
    expect(await docker(h2, 'image', 'inspect', '-f', '{{.Architecture}}', own.arm)).toBe('arm64')
  })
})
