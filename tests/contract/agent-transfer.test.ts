/**
 * transfer.*: image and container tars on streams between main and the agent. save and export
 * open a stream to main; load, import and build read one main opened.
 */
import { describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'
import { readTar, writeTar } from './fake-engine/tar'

const agent = agentForEachTest()

/** Everything that arrives on a stream the agent opened, until its end (or its error). */
function drain(streamId: number): Promise<Buffer> {
  const stream = agent.client.peer.acceptStream(streamId)
  const parts: Buffer[] = []
  stream.on('data', (c) => parts.push(c))
  return new Promise((resolve, reject) => stream.on('end', (error) => (error ? reject(error) : resolve(Buffer.concat(parts)))))
}

/** Opens a stream to the agent, as main does for an upload, and writes `bytes` into it. */
function send(bytes: Buffer): number {
  const stream = agent.client.peer.openStream()
  stream.write(bytes)
  stream.endWhenFlushed()
  return stream.id
}

const entryNames = async (tar: Buffer) => (await readTar(tar)).map((e) => e.headers.name)

describe('transfer.save and transfer.export', () => {
  it('streams docker save of the images to main', async () => {
    const { streamId } = await agent.call('transfer.save', { images: ['alpine:3.19', 'nginx:1.25'] })
    const names = await entryNames(await drain(streamId))
    expect(names).toContain('manifest.json')
    expect(agent.engine.requested('GET', '/images/get')[0]!.query.getAll('names')).toEqual(['alpine:3.19', 'nginx:1.25'])
  })

  it('says NOT_FOUND for an unknown image before any tar starts', async () => {
    await expect(agent.call('transfer.save', { images: ['alpine:3.19', 'ghost:1'] })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such image: ghost:1' })
    expect(agent.engine.requested('GET', '/images/get')).toEqual([])
  })

  it("streams docker export of a container's filesystem", async () => {
    const { streamId } = await agent.call('transfer.export', { container: 'web' })
    const tar = await drain(streamId)
    expect(await entryNames(tar)).toEqual(['etc/', 'etc/hostname', 'srv/app.txt'])
    expect(tar.length).toBeGreaterThan(64 * 1024)
    await expect(agent.call('transfer.export', { container: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('transfer.load and transfer.import', () => {
  it('loads a docker save tar that main streams, and says what it loaded', async () => {
    const tar = await writeTar([{ name: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', RepoTags: ['shop/api:1.0'], Layers: [] }]) }])
    expect(await agent.call('transfer.load', { streamId: send(tar) })).toEqual({ loaded: ['shop/api:1.0'] })
    expect(agent.state.findImage('shop/api:1.0')).toBeDefined()
  })

  it("fails with the engine's words when the tar is not an image archive (an error line inside the 200)", async () => {
    const tar = await writeTar([{ name: 'notes.txt', content: 'not an image' }])
    await expect(agent.call('transfer.load', { streamId: send(tar) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('repositories: no such file or directory'),
    })
  })

  it('imports a root filesystem as an image with the reference, changes and message given', async () => {
    const tar = await writeTar([{ name: 'etc/os-release', content: 'ID=scratchy\n' }])
    const { id } = await agent.call('transfer.import', { streamId: send(tar), reference: 'shop/base:2', changes: ['LABEL tier=base'], message: 'from a tarball' })
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/)
    const sent = agent.engine.requested('POST', '/images/create')[0]!.query
    expect(Object.fromEntries(sent)).toMatchObject({ fromSrc: '-', repo: 'shop/base', tag: '2', changes: 'LABEL tier=base', message: 'from a tarball' })
    expect(await agent.call('images.inspect', { image: 'shop/base:2' })).toMatchObject({ id, config: { labels: { tier: 'base' } } })
  })
})

describe('transfer.build', () => {
  const context = (dockerfile: string) => writeTar([{ name: 'Dockerfile', content: dockerfile }, { name: 'app.sh', content: 'echo hi\n' }])

  it('builds from a context main streams, relaying output per line, and answers with the image', async () => {
    const streamId = send(await context('FROM alpine:3.19\nCOPY app.sh /app.sh\nRUN chmod +x /app.sh\n'))
    const { imageId } = await agent.call('transfer.build', { streamId, tags: ['shop/app:dev'], buildArgs: ['VERSION=1.2'] })
    expect(agent.state.image('shop/app:dev').Id).toBe(imageId)
    const output = agent.client.received<{ streamId: number; text: string }>('transfer.buildOutput').map((o) => o.text)
    expect(output).toEqual(expect.arrayContaining(['Step 1/3 : FROM alpine:3.19\n', 'Step 3/3 : RUN chmod +x /app.sh\n', 'Successfully tagged shop/app:dev\n']))
    const sent = agent.engine.requested('POST', '/build')[0]!.query
    expect([sent.get('t'), sent.get('buildargs'), sent.get('rm')]).toEqual(['shop/app:dev', JSON.stringify({ VERSION: '1.2' }), 'true'])
  })

  it('fails naming the step that failed, from the error line inside the answer', async () => {
    const streamId = send(await context('FROM alpine:3.19\nRUN exit 3\nRUN echo never\n'))
    const err = await agent.call('transfer.build', { streamId }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      message: "the build failed at Step 2/3 : RUN exit 3: The command '/bin/sh -c exit 3' returned a non-zero code: 3",
      detail: { step: 'Step 2/3 : RUN exit 3' },
    })
    expect(agent.client.received<{ text: string }>('transfer.buildOutput').at(-1)!.text).toBe("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n")
  })

  const refusedBuild = async () => {
    const streamId = send(await context('FROM alpine:3.19\n'))
    return agent.call('transfer.build', { streamId, dockerfile: 'docker/prod.Dockerfile' }).then(
      () => ({ code: 'none', message: 'the build succeeded' }),
      (e: { code: string; message: string }) => e,
    )
  }

  it("fails when the engine refuses a context without the Dockerfile named", async () => {
    expect(await refusedBuild()).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^the engine failed: /) })
  })

  it("keeps the engine's words when it refuses a build before streaming", async () => {
    expect((await refusedBuild()).message).toBe('the engine failed: Cannot locate specified Dockerfile: docker/prod.Dockerfile')
  })
})
