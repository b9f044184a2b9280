/**
 * Image routes that stream: pull and import (both `POST /images/create`), save, load, push,
 * build, and the registry login check. Progress comes as JSON lines; a failure after the answer
 * has started comes as an `{error, errorDetail}` line inside the 200, as dockerd sends it.
 */
import type { ServerResponse } from 'node:http'
import type { FakeEngine } from '../server'
import { type EngineRequest, EngineFault, jsonBody, sendJson, sendJsonLines, startStream } from '../http'
import { addImage } from '../fixtures'
import { digestOf, familiarImage, randomId, type RegistryImage } from '../state'
import { readTar, writeTar } from '../tar'

const errorLine = (message: string) => ({ errorDetail: { message }, error: message })
const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12)

/** The progress lines of a pull, as dockerd relays them from the registry. */
function pullLines(ref: string, held: RegistryImage, upToDate: boolean): unknown[] {
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)]
  const lines: unknown[] = [{ status: `Pulling from ${repo.includes('/') ? repo : `library/${repo}`}`, id: tag }]
  if (!upToDate) {
    for (const l of held.layers) lines.push({ status: 'Pulling fs layer', progressDetail: {}, id: l.id })
    for (const l of held.layers) {
      lines.push({ status: 'Downloading', progressDetail: { current: Math.floor(l.size / 2), total: l.size }, progress: '[=========>   ]', id: l.id })
      lines.push({ status: 'Downloading', progressDetail: { current: l.size, total: l.size }, progress: '[============>]', id: l.id })
      if (held.failWith) return [...lines, errorLine(held.failWith)]
      lines.push({ status: 'Verifying Checksum', progressDetail: {}, id: l.id }, { status: 'Download complete', progressDetail: {}, id: l.id })
      lines.push({ status: 'Pull complete', progressDetail: {}, id: l.id })
    }
  }
  lines.push({ status: `Digest: ${held.digest}` })
  lines.push({ status: upToDate ? `Status: Image is up to date for ${ref}` : `Status: Downloaded newer image for ${ref}` })
  return lines
}

async function pull(engine: FakeEngine, req: EngineRequest, res: ServerResponse): Promise<void> {
  const s = engine.state
  const tag = req.query.get('tag') ?? 'latest'
  const ref = familiarImage(`${req.query.get('fromImage')}${tag.startsWith('sha256:') ? '@' : ':'}${tag}`)
  const held = s.registry.get(ref)
  if (!held) throw new EngineFault(404, `manifest for ${ref} not found: manifest unknown: manifest unknown`)
  const repo = ref.slice(0, ref.lastIndexOf(':'))
  const account = s.registryAccounts.get(repo.split('/')[0]!)
  const auth = authOf(req)
  if (account && (auth.username !== account.username || auth.password !== account.password)) {
    throw new EngineFault(500, `Head "http://${repo.replace('/', '/v2/')}/manifests/${tag}": unauthorized: authentication required`)
  }
  const present = s.findImage(ref)
  const upToDate = present?.RepoDigests.includes(`${repo}@${held.digest}`) ?? false
  let closed = false
  res.on('close', () => (closed = true))
  await sendJsonLines(res, pullLines(ref, held, upToDate), held.gapMs ?? 2)
  if (closed || held.failWith || upToDate) return
  for (const other of s.images.values()) other.RepoTags = other.RepoTags.filter((t) => t !== ref)
  addImage(s, `pulled:${ref}`, [ref], { RepoDigests: [`${repo}@${held.digest}`], Architecture: held.architecture, Os: held.os })
  s.emit('image', 'pull', ref, { name: ref })
}

async function importTar(engine: FakeEngine, req: EngineRequest, res: ServerResponse): Promise<void> {
  const repo = req.query.get('repo')
  const tag = repo ? familiarImage(`${repo}:${req.query.get('tag') || 'latest'}`) : undefined
  const labels: Record<string, string> = {}
  for (const change of req.query.getAll('changes')) {
    const m = /^LABEL (\S+?)=(.*)$/.exec(change)
    if (m) labels[m[1]!] = m[2]!
  }
  const entries = await readTar(req.body)
  const image = addImage(engine.state, `import:${randomId()}`, tag ? [tag] : [], {
    RepoDigests: [],
    Comment: req.query.get('message') ?? '',
    Size: entries.reduce((n, e) => n + e.content.length, 0),
    Config: { Env: null, Cmd: null, Labels: labels },
  })
  engine.state.emit('image', 'import', image.Id, { name: image.Id })
  await sendJsonLines(res, [{ status: image.Id }])
}

/** Builds the context's Dockerfile: one "Step n/m" per instruction; a RUN of `exit N` fails the build. */
async function build(engine: FakeEngine, req: EngineRequest, res: ServerResponse): Promise<void> {
  const s = engine.state
  const entries = await readTar(req.body)
  const name = req.query.get('dockerfile') ?? 'Dockerfile'
  const dockerfile = entries.find((e) => e.headers.name.replace(/^\.\//, '') === name)
  if (!dockerfile) throw new EngineFault(500, `Cannot locate specified Dockerfile: ${name}`)
  const steps = dockerfile.content.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const lines: unknown[] = [{ stream: `Sending build context to Docker daemon  ${req.body.length}B\r\n` }]
  const tags = req.query.getAll('t').map(familiarImage)
  for (const [i, step] of steps.entries()) {
    lines.push({ stream: `Step ${i + 1}/${steps.length} : ${step}\n` })
    const from = /^FROM\s+(\S+)/i.exec(step)?.[1]
    if (from && !s.findImage(from)) {
      lines.push(errorLine(`pull access denied for ${from}, repository does not exist or may require 'docker login'`))
      return sendJsonLines(res, lines)
    }
    const run = /^RUN\s+(.*)$/i.exec(step)?.[1]
    if (run) {
      lines.push({ stream: ` ---> Running in ${randomId().slice(0, 12)}\n` })
      const code = Number(/exit (\d+)/.exec(run)?.[1] ?? 0)
      if (code !== 0) {
        lines.push(errorLine(`The command '/bin/sh -c ${run}' returned a non-zero code: ${code}`))
        return sendJsonLines(res, lines)
      }
    }
    lines.push({ stream: ` ---> ${randomId().slice(0, 12)}\n` })
  }
  const image = addImage(s, `build:${randomId()}`, tags, { RepoDigests: [] })
  lines.push({ aux: { ID: image.Id } }, { stream: `Successfully built ${short(image.Id)}\n` })
  for (const t of tags) lines.push({ stream: `Successfully tagged ${t}\n` })
  await sendJsonLines(res, lines)
}

/** The X-Registry-Auth header dockerode sends: base64url JSON. */
function authOf(req: EngineRequest): { username?: string; password?: string } {
  const header = req.headers['x-registry-auth']
  if (typeof header !== 'string' || !header) return {}
  return JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as { username?: string; password?: string }
}

export function imageStreamRoutes(engine: FakeEngine): void {
  const s = engine.state

  engine.route('POST /images/create', (req, res) => (req.query.get('fromSrc') === '-' ? importTar(engine, req, res) : pull(engine, req, res)))

  engine.route('GET /images/get', async (req, res) => {
    const images = req.query.getAll('names').map((n) => s.image(n))
    const manifest = images.map((i) => ({ Config: `${short(i.Id)}.json`, RepoTags: i.RepoTags, Layers: [`${short(i.Id)}/layer.tar`] }))
    const tar = await writeTar([
      ...images.flatMap((i) => [
        { name: `${short(i.Id)}.json`, content: JSON.stringify({ architecture: i.Architecture, os: i.Os, config: i.Config }) },
        { name: `${short(i.Id)}/layer.tar`, content: Buffer.alloc(2048, 7) },
      ]),
      { name: 'manifest.json', content: JSON.stringify(manifest) },
    ])
    startStream(res, 'application/x-tar')
    res.end(tar)
  })

  engine.route('POST /images/load', async (req, res) => {
    const entries = await readTar(req.body)
    const manifest = entries.find((e) => e.headers.name === 'manifest.json')
    if (!manifest) {
      // dockerd writes a load's failure into the answer it has already started
      return sendJsonLines(res, [errorLine('open /var/lib/docker/tmp/docker-import-2875166543/repositories: no such file or directory')])
    }
    const lines: unknown[] = []
    for (const item of JSON.parse(manifest.content.toString('utf8')) as Array<{ RepoTags?: string[] | null }>) {
      const tags = (item.RepoTags ?? []).map(familiarImage)
      const image = tags.length && s.findImage(tags[0]!) ? s.image(tags[0]!) : addImage(s, `load:${randomId()}`, tags, { RepoDigests: [] })
      lines.push(...(tags.length ? tags.map((t) => ({ stream: `Loaded image: ${t}\n` })) : [{ stream: `Loaded image ID: ${image.Id}\n` }]))
    }
    await sendJsonLines(res, lines)
  })

  engine.route('POST /images/{name*}/push', async (req, res) => {
    const ref = familiarImage(req.params.name!)
    const image = s.findImage(ref)
    if (!image) throw new EngineFault(404, `An image does not exist locally with the tag: ${ref}`)
    const domain = ref.split('/')[0]!
    const account = s.registryAccounts.get(domain)
    const auth = authOf(req)
    const repo = ref.slice(0, ref.lastIndexOf(':'))
    const lines: unknown[] = [{ status: `The push refers to repository [${repo}]` }]
    const layers = image.RootFS.Layers.map((l) => l.replace(/^sha256:/, '').slice(0, 12))
    for (const id of layers) lines.push({ status: 'Preparing', progressDetail: {}, id })
    if (account && (auth.username !== account.username || auth.password !== account.password)) {
      return sendJsonLines(res, [...lines, errorLine('unauthorized: authentication required')])
    }
    for (const id of layers) {
      lines.push({ status: 'Pushing', progressDetail: { current: 512, total: 2048 }, progress: '[====>     ]', id })
      lines.push({ status: 'Pushed', progressDetail: {}, id })
    }
    const digest = digestOf(`push:${ref}`)
    const tag = ref.slice(ref.lastIndexOf(':') + 1)
    lines.push({ status: `${tag}: digest: ${digest} size: 528` }, { progressDetail: {}, aux: { Tag: tag, Digest: digest, Size: 528 } })
    image.RepoDigests = [...new Set([...image.RepoDigests, `${repo}@${digest}`])]
    s.emit('image', 'push', ref, { name: ref })
    await sendJsonLines(res, lines)
  })

  engine.route('POST /build', (req, res) => build(engine, req, res))

  engine.route('POST /auth', (req, res) => {
    const body = jsonBody<{ username: string; password: string; serveraddress: string }>(req)
    const domain = body.serveraddress.replace(/^https?:\/\//, '').replace(/\/.*$/, '')
    const account = s.registryAccounts.get(domain)
    if (!account) throw new EngineFault(500, `Get "https://${domain}/v2/": dial tcp: lookup ${domain.replace(/:\d+$/, '')}: no such host`)
    if (account.username !== body.username || account.password !== body.password) {
      throw new EngineFault(401, `login attempt to http://${domain}/v2/ failed with status: 401 Unauthorized`)
    }
    sendJson(res, 200, { IdentityToken: '', Status: 'Login Succeeded' })
  })
}
