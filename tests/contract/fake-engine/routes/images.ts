/** Image routes that answer at once: list, inspect, history, tag, remove, prune, distribution. */
import type { FakeEngine } from '../server'
import { EngineFault, flag, jsonQuery, sendJson } from '../http'
import { imageListEntry, type ImageJson } from '../shapes'
import { familiarImage } from '../state'

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12)

/** What `docker rmi` prints, and does: untag each tag and digest, then delete the image and its layers. */
function deleteAll(engine: FakeEngine, image: ImageJson): Array<{ Untagged?: string; Deleted?: string }> {
  const items = [...image.RepoTags, ...image.RepoDigests].map((ref) => ({ Untagged: ref }))
  engine.state.images.delete(image.Id)
  engine.state.emit('image', 'delete', image.Id, { name: image.Id })
  return [...items, { Deleted: image.Id }, ...image.RootFS.Layers.map((layer) => ({ Deleted: layer }))]
}

export function imageRoutes(engine: FakeEngine): void {
  const s = engine.state

  engine.route('GET /images/json', (req, res) => {
    const filters = jsonQuery(req, 'filters')
    const dangling = filters.dangling?.[0]
    const rows = [...s.images.values()]
      .filter((i) => dangling === undefined || (dangling === 'true') === (i.RepoTags.length === 0))
      .map((i) => imageListEntry(i, -1))
    sendJson(res, 200, rows)
  })

  engine.route('GET /images/{name*}/json', (req, res) => sendJson(res, 200, s.image(req.params.name!)))

  engine.route('GET /images/{name*}/history', (req, res) => sendJson(res, 200, s.history.get(s.image(req.params.name!).Id) ?? []))

  engine.route('POST /images/{name*}/tag', (req, res) => {
    const image = s.image(req.params.name!)
    const target = familiarImage(`${req.query.get('repo')}:${req.query.get('tag') || 'latest'}`)
    // a tag names one image: it moves from wherever it was
    for (const other of s.images.values()) other.RepoTags = other.RepoTags.filter((t) => t !== target)
    image.RepoTags.push(target)
    s.emit('image', 'tag', image.Id, { name: target })
    res.writeHead(201)
    res.end()
  })

  engine.route('DELETE /images/{name*}', (req, res) => {
    const ref = req.params.name!
    const image = s.image(ref)
    const force = flag(req, 'force')
    const byTag = image.RepoTags.includes(familiarImage(ref))
    const users = s.containersUsingImage(image.Id)
    if (byTag && image.RepoTags.length > 1) {
      image.RepoTags = image.RepoTags.filter((t) => t !== familiarImage(ref))
      s.emit('image', 'untag', image.Id, { name: familiarImage(ref) })
      return sendJson(res, 200, [{ Untagged: familiarImage(ref) }])
    }
    if (users.length > 0 && !force) {
      const what = byTag ? `unable to remove repository reference "${ref}" (must force)` : `unable to delete ${short(image.Id)} (must be forced)`
      throw new EngineFault(409, `conflict: ${what} - container ${short(users[0]!.Id)} is using its referenced image ${short(image.Id)}`)
    }
    if (!byTag && image.RepoTags.length > 1 && !force) {
      throw new EngineFault(409, `conflict: unable to delete ${short(image.Id)} (must be forced) - image is referenced in multiple repositories`)
    }
    sendJson(res, 200, deleteAll(engine, image))
  })

  engine.route('POST /images/prune', (_req, res) => {
    const deleted: Array<{ Untagged?: string; Deleted?: string }> = []
    let reclaimed = 0
    for (const image of [...s.images.values()]) {
      if (image.RepoTags.length > 0 || s.containersUsingImage(image.Id).length > 0) continue
      reclaimed += image.Size
      deleted.push(...deleteAll(engine, image))
    }
    sendJson(res, 200, { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed })
  })

  engine.route('GET /distribution/{name*}/json', (req, res) => {
    const held = s.registry.get(familiarImage(req.params.name!))
    if (!held) throw new EngineFault(401, 'errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n')
    sendJson(res, 200, {
      Descriptor: { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: held.digest, size: 528 },
      Platforms: [{ architecture: held.architecture, os: held.os }],
    })
  })
}
