/** Confinement of volume paths: the schema's normalising and the agent's link resolution. */
import { describe, expect, it } from 'vitest'
import { agentMethods, volumePathSchema } from '../../protocol/schema'
import { kindOfMode, type PathStat, resolveInVolume } from '../../agent/volume-files/paths'

const DIR = 2 ** 31 + 0o755
const LINK = 2 ** 27 + 0o777
const FILE = 0o644

/** A volume's tree as the engine's stat would report it. */
const tree: Record<string, { mode: number; linkTarget?: string; size?: number }> = {
  '': { mode: DIR },
  logs: { mode: DIR },
  'logs/app.txt': { mode: FILE, size: 12 },
  current: { mode: LINK, linkTarget: 'logs' },
  'logs/up': { mode: LINK, linkTarget: '..' },
  etc: { mode: LINK, linkTarget: '/etc' },
  escape: { mode: LINK, linkTarget: '../../..' },
  'logs/sneaky': { mode: LINK, linkTarget: '../../etc' },
  loop: { mode: LINK, linkTarget: 'loop' },
}
const asked: string[] = []
async function stat(path: string): Promise<PathStat | null> {
  asked.push(path)
  const e = tree[path]
  return e ? { name: path.split('/').pop() ?? '', size: e.size ?? 0, mode: e.mode, mtime: '', linkTarget: '/clamped-by-the-engine' } : null
}
// the engine's stat resolves link targets itself; the resolver must read the link's own text
async function readLink(path: string): Promise<string> {
  asked.push(`readlink ${path}`)
  return tree[path]?.linkTarget ?? ''
}
const resolve = (path: string, followLast = true) => resolveInVolume({ stat, readLink }, 'vf', volumePathSchema.parse(path), followLast)

describe('volume paths in the schema', () => {
  it('normalises paths relative to the root', () => {
    expect(volumePathSchema.parse('')).toBe('')
    expect(volumePathSchema.parse('.')).toBe('')
    expect(volumePathSchema.parse('logs//./app.txt')).toBe('logs/app.txt')
    expect(volumePathSchema.parse('logs/../logs/app.txt/')).toBe('logs/app.txt')
  })

  it('refuses ../../etc/passwd and /etc/passwd with messages naming them', () => {
    const up = volumePathSchema.safeParse('../../etc/passwd')
    expect(up.success).toBe(false)
    expect(up.error?.issues[0]?.message).toBe('the path ../../etc/passwd leaves the volume (too many ..)')
    expect(volumePathSchema.safeParse('logs/../../x').error?.issues[0]?.message).toContain('logs/../../x leaves the volume')
    const abs = volumePathSchema.safeParse('/etc/passwd')
    expect(abs.error?.issues[0]?.message).toBe(
      "the path /etc/passwd is absolute, outside the volume: give a path relative to the volume's root, such as etc/passwd",
    )
  })

  it('refuses a bad upload name and an over-size upload before anything is sent', () => {
    const params = agentMethods['volumeFiles.uploadStart'].params
    expect(params.safeParse({ volume: 'vf', directory: '', name: '../x', sizeBytes: 1 }).error?.issues[0]?.message).toContain('contains /')
    expect(params.safeParse({ volume: 'vf', directory: '', name: '..', sizeBytes: 1 }).error?.issues[0]?.message).toBe('.. is not a file name')
    expect(params.safeParse({ volume: 'vf', directory: '', name: 'a', sizeBytes: 2 ** 40 }).error?.issues[0]?.message).toContain('at most 512 MiB')
    expect(params.parse({ volume: 'vf', directory: 'logs/', name: 'a.txt', sizeBytes: 3 })).toEqual({
      volume: 'vf', directory: 'logs', name: 'a.txt', sizeBytes: 3, overwrite: false,
    })
  })
})

describe('resolving symbolic links inside the volume', () => {
  it('reads the kind from Go file mode bits', () => {
    expect([kindOfMode(DIR), kindOfMode(LINK), kindOfMode(FILE), kindOfMode(2 ** 25 + 0o644)]).toEqual(['directory', 'symlink', 'file', 'other'])
  })

  it('follows links whose targets stay inside the volume', async () => {
    expect((await resolve('current/app.txt')).path).toBe('logs/app.txt')
    expect((await resolve('logs/up/logs')).path).toBe('logs')
    expect((await resolve('current')).path).toBe('logs')
    expect((await resolve('current', false)).path).toBe('current')
    expect((await resolve('')).path).toBe('')
  })

  it('refuses a link to /etc, naming the path and the link', async () => {
    await expect(resolve('etc/passwd')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'the path /etc/passwd goes through the symbolic link /etc -> /etc, which points outside the volume vf: refused',
    })
    await expect(resolve('etc')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
  })

  it('refuses a relative link that climbs out, directly or through another link', async () => {
    await expect(resolve('escape')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('/escape -> ../../..') })
    await expect(resolve('current/sneaky/passwd')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('/logs/sneaky -> ../../etc'),
    })
  })

  it('never asks the engine about a path beyond a refused link', async () => {
    asked.length = 0
    await expect(resolve('escape/etc/passwd')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    expect(asked).toEqual(['escape', 'readlink escape'])
  })

  it('stops link loops and names missing paths and files used as folders', async () => {
    await expect(resolve('loop')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'the path /loop has too many levels of symbolic links' })
    await expect(resolve('nope/x')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no file or folder /nope in volume vf' })
    await expect(resolve('logs/app.txt/x')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('/logs/app.txt is not a folder') })
  })
})
