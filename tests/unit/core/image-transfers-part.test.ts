/**
 * A download to this computer is written beside its target as a `.part` first. In a folder
 * others can write to (/tmp, a shared folder), a `.part` planted there ahead of time, as a
 * link to some file of the user's, must never be opened: the bytes would land in that file.
 */
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImageTransfers } from '../../../main/core/image-transfers'
import type { HostLink } from '../../../main/core/hosts/host-link'
import { memoryPipe } from '../../../protocol/wire/memory-pipe'
import { Peer } from '../../../protocol/wire/peer'

let work = ''
const peers: Peer[] = []

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-part-'))
})
afterEach(async () => {
  for (const p of peers.splice(0)) p.close()
  await rm(work, { recursive: true, force: true })
})

/** A host whose agent answers transfer.export with a stream of `content`. */
async function hostExporting(content: string): Promise<HostLink> {
  const [agentSide, mainSide] = memoryPipe()
  const agent = new Peer(agentSide, {
    role: 'agent',
    version: 'v',
    handler: async (method, _params, ctx) => {
      if (method !== 'transfer.export') throw new Error(`unexpected ${method}`)
      const stream = ctx.peer.openStream()
      stream.write(Buffer.from(content))
      stream.endWhenFlushed()
      return { streamId: stream.id }
    },
  })
  const client = new Peer(mainSide, { role: 'client', version: 'v' })
  peers.push(agent, client)
  await Promise.all([agent.ready, client.ready])
  return { config: { name: 'h1' }, connectedPeer: () => client } as unknown as HostLink
}

describe('a download into a folder with a planted .part', () => {
  it('writes the file and never follows a link waiting at the old .part name', async () => {
    const link = await hostExporting('the container filesystem')
    const transfers = new ImageTransfers(() => link, () => {}, work)
    const target = join(work, 'web.tar')
    const victim = join(work, 'precious.txt')
    await writeFile(victim, 'keep me')
    await symlink(victim, `${target}.part`)

    const done = await transfers.handlers['containers.exportToFile']({ hostId: 'h', transferId: 't', container: 'web', path: target }, undefined)

    expect(done).toEqual({ path: target, bytes: 'the container filesystem'.length })
    expect(await readFile(target, 'utf8')).toBe('the container filesystem')
    expect(await readFile(victim, 'utf8')).toBe('keep me')
    // the planted link is left alone, and no .part of this download is left behind
    expect((await readdir(work)).sort()).toEqual(['precious.txt', 'web.tar', 'web.tar.part'])
  })
})
