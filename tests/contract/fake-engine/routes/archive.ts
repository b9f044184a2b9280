/**
 * The archive API (`HEAD`, `GET` and `PUT /containers/{id}/archive`): a path's stat in the
 * X-Docker-Container-Path-Stat header, a path as a tar named after its base name, and a tar
 * unpacked into a folder. A container mounting a volume at /volume sees that volume's files;
 * any other container has a root filesystem with just its shells (alpine has no bash).
 */
import type { FakeEngine } from '../server'
import { EngineFault, startStream } from '../http'
import type { ContainerJson } from '../shapes'
import type { EngineState, FileNode } from '../state'
import { readTar, writeTar } from '../tar'

/** Go's os.FileMode type bits. */
const MODE_DIR = 2 ** 31
const MODE_SYMLINK = 2 ** 27
const VOLUME_ROOT = '/volume'

interface Located {
  files: Map<string, FileNode>
  /** The path below the volume's root ('' is the root itself). */
  rel: string
  /** The base name the engine names archive entries after. */
  base: string
}

function rootfsOf(state: EngineState, c: ContainerJson): Map<string, FileNode> {
  const dir: FileNode = { type: 'directory', mode: 0o755, mtime: new Date('2024-01-01T00:00:00Z') }
  const exe: FileNode = { type: 'file', mode: 0o755, mtime: new Date('2024-01-01T00:00:00Z'), content: Buffer.alloc(16) }
  const alpine = (state.containerImages.get(c.Id) ?? '').startsWith('alpine')
  return new Map([['', dir], ['bin', dir], ['bin/sh', exe], ...(alpine ? [] : ([['bin/bash', exe]] as Array<[string, FileNode]>))])
}

function locate(state: EngineState, c: ContainerJson, path: string): Located {
  const clean = path.replace(/\/+$/, '') || '/'
  const mount = c.Mounts.find((m) => m.Destination === VOLUME_ROOT && m.Name)
  if (mount && (clean === VOLUME_ROOT || clean.startsWith(`${VOLUME_ROOT}/`))) {
    const files = state.files.get(mount.Name!)
    if (!files) throw new EngineFault(500, `volume ${mount.Name} is gone`)
    const rel = clean.slice(VOLUME_ROOT.length + 1)
    return { files, rel, base: rel ? rel.slice(rel.lastIndexOf('/') + 1) : 'volume' }
  }
  const rel = clean.replace(/^\//, '')
  return { files: rootfsOf(state, c), rel, base: rel.slice(rel.lastIndexOf('/') + 1) || '/' }
}

function statHeader(node: FileNode, name: string): string {
  const typeBits = node.type === 'directory' ? MODE_DIR : node.type === 'symlink' ? MODE_SYMLINK : 0
  const stat = { name, size: node.content?.length ?? (node.type === 'directory' ? 4096 : (node.linkname?.length ?? 0)), mode: typeBits + node.mode, mtime: node.mtime.toISOString(), linkTarget: '' }
  return Buffer.from(JSON.stringify(stat)).toString('base64')
}

export function archiveRoutes(engine: FakeEngine): void {
  const s = engine.state
  const find = (id: string, path: string | null): Located & { node: FileNode } => {
    const c = s.container(id)
    const at = locate(s, c, path ?? '/')
    const node = at.files.get(at.rel)
    if (!node) throw new EngineFault(404, `Could not find the file ${path} in container ${id}`)
    return { ...at, node }
  }

  engine.route('HEAD /containers/{id}/archive', (req, res) => {
    const { node, base } = find(req.params.id!, req.query.get('path'))
    res.writeHead(200, { 'X-Docker-Container-Path-Stat': statHeader(node, base), 'Content-Type': 'application/x-tar' })
    res.end()
  })

  engine.route('GET /containers/{id}/archive', async (req, res) => {
    const { node, base, rel, files } = find(req.params.id!, req.query.get('path'))
    const entry = (name: string, n: FileNode) => ({ name, type: n.type, mode: n.mode, mtime: n.mtime, content: n.content, linkname: n.linkname })
    const entries = [entry(node.type === 'directory' ? `${base}/` : base, node)]
    if (node.type === 'directory') {
      const prefix = rel ? `${rel}/` : ''
      for (const [path, child] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
        if (path && path.startsWith(prefix) && path !== rel) entries.push(entry(`${base}/${path.slice(prefix.length)}${child.type === 'directory' ? '/' : ''}`, child))
      }
    }
    const tar = await writeTar(entries)
    res.setHeader('X-Docker-Container-Path-Stat', statHeader(node, base))
    startStream(res, 'application/x-tar')
    res.end(tar)
  })

  engine.route('PUT /containers/{id}/archive', async (req, res) => {
    const { node, rel, files } = find(req.params.id!, req.query.get('path'))
    if (node.type !== 'directory') throw new EngineFault(400, `extraction point is not a directory`)
    for (const { headers, content } of await readTar(req.body)) {
      const path = [rel, headers.name.replace(/\/+$/, '')].filter(Boolean).join('/')
      const existing = files.get(path)
      if (existing?.type === 'directory' && headers.type !== 'directory') throw new EngineFault(400, `cannot overwrite directory "${path}" with non-directory`)
      files.set(path, headers.type === 'directory'
        ? { type: 'directory', mode: headers.mode ?? 0o755, mtime: headers.mtime ?? new Date() }
        : { type: 'file', mode: headers.mode ?? 0o644, mtime: headers.mtime ?? new Date(), content })
    }
    res.writeHead(200)
    res.end()
  })
}
