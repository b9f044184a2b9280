/**
 * volumeFiles.*: a volume's files through a helper container and the engine's archive API
 * (stat in a header, tars both ways), with symbolic links kept inside the volume.
 */
import { describe, expect, it } from 'vitest'
import { agentForEachTest } from './fake-engine/agent'
import { readTar } from './fake-engine/tar'

const agent = agentForEachTest()

const helpers = () => [...agent.state.containers.values()].filter((c) => c.Config.Labels['berth.helper'] === 'volume-files')

describe('browsing', () => {
  it('lists a folder, folders first, through a helper made from an imported empty image (no pull)', async () => {
    const listing = await agent.call('volumeFiles.list', { volume: 'web-data', path: '' })
    expect(listing).toMatchObject({ volume: 'web-data', path: '', cutShort: null })
    expect(listing.entries.map((e) => [e.name, e.kind, e.mode, e.sizeBytes, e.linkTarget])).toEqual([
      ['assets', 'directory', 'drwxr-xr-x', 0, ''],
      ['current', 'symlink', 'lrwxrwxrwx', 0, 'assets'],
      ['escape', 'symlink', 'lrwxrwxrwx', 0, '../../../etc'],
      ['index.html', 'file', '-rw-r--r--', 31, ''],
    ])
    expect(helpers()).toHaveLength(1)
    expect(helpers()[0]).toMatchObject({ Name: '/berth-volume-files-web-data', Mounts: [{ Name: 'web-data', Destination: '/volume' }], HostConfig: { NetworkMode: 'none' } })
    expect(agent.engine.requested('POST', '/images/create')[0]!.query.get('fromSrc')).toBe('-')
    // the helper is made once and shared
    await agent.call('volumeFiles.list', { volume: 'web-data', path: 'assets' })
    expect(helpers()).toHaveLength(1)
  })

  it('follows a symbolic link that stays inside the volume', async () => {
    const listing = await agent.call('volumeFiles.list', { volume: 'web-data', path: 'current' })
    expect(listing.path).toBe('assets')
    expect(listing.entries.map((e) => e.name)).toEqual(['logo.png'])
  })

  it('refuses a link that points outside the volume, naming the link', async () => {
    await expect(agent.call('volumeFiles.list', { volume: 'web-data', path: 'escape' })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'the path /escape goes through the symbolic link /escape -> ../../../etc, which points outside the volume web-data: refused',
    })
  })

  it('says NOT_FOUND for a missing path or volume', async () => {
    await expect(agent.call('volumeFiles.list', { volume: 'web-data', path: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no file or folder /nope in volume web-data' })
    await expect(agent.call('volumeFiles.list', { volume: 'ghost', path: '' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no volume named ghost on this host' })
  })

  it("reads a text file's start, and refuses a binary one", async () => {
    expect(await agent.call('volumeFiles.readText', { volume: 'web-data', path: 'index.html' })).toEqual({ path: 'index.html', sizeBytes: 31, text: '<h1>Hello from the volume</h1>\n', truncated: false })
    await expect(agent.call('volumeFiles.readText', { volume: 'web-data', path: 'assets/logo.png' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: '/assets/logo.png is a binary file, not text: download it to open it',
    })
  })

  it('removes the helper and its image on volumeFiles.close', async () => {
    await agent.call('volumeFiles.list', { volume: 'web-data', path: '' })
    expect(await agent.call('volumeFiles.close', { volume: 'web-data' })).toEqual({ closed: true })
    expect(helpers()).toEqual([])
    expect(agent.state.findImage('berth/volume-files:1')).toBeUndefined()
    expect(await agent.call('volumeFiles.close', { volume: 'web-data' })).toEqual({ closed: false })
  })
})

describe('downloads', () => {
  it('downloads a file in pieces until done', async () => {
    const started = await agent.call('volumeFiles.downloadStart', { volume: 'web-data', path: 'index.html' })
    expect(started).toMatchObject({ fileName: 'index.html', kind: 'file', sizeBytes: 31 })
    const piece = await agent.call('volumeFiles.downloadChunk', { transferId: started.transferId })
    expect(piece).toMatchObject({ bytesSent: 31, done: true })
    expect(Buffer.from(piece.data, 'base64').toString('utf8')).toBe('<h1>Hello from the volume</h1>\n')
    // a finished transfer is gone
    await expect(agent.call('volumeFiles.downloadChunk', { transferId: started.transferId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('downloads a folder as a tar', async () => {
    const started = await agent.call('volumeFiles.downloadStart', { volume: 'web-data', path: 'assets' })
    expect(started).toMatchObject({ fileName: 'assets.tar', kind: 'folder', sizeBytes: null })
    const piece = await agent.call('volumeFiles.downloadChunk', { transferId: started.transferId })
    const names = (await readTar(Buffer.from(piece.data, 'base64'))).map((e) => e.headers.name)
    expect(names).toEqual(['assets/', 'assets/logo.png'])
  })

  it('cancels a download', async () => {
    const { transferId } = await agent.call('volumeFiles.downloadStart', { volume: 'web-data', path: 'index.html' })
    expect(await agent.call('volumeFiles.cancel', { transferId })).toEqual({ cancelled: true })
    expect(await agent.call('volumeFiles.cancel', { transferId })).toEqual({ cancelled: false })
  })
})

describe('uploads', () => {
  const text = Buffer.from('server {\n  listen 80;\n}\n')

  it('uploads a file in pieces; it appears in the volume only when the last piece is in', async () => {
    const { transferId, path } = await agent.call('volumeFiles.uploadStart', { volume: 'web-data', directory: 'assets', name: 'site.conf', sizeBytes: text.length })
    expect(path).toBe('assets/site.conf')
    expect(await agent.call('volumeFiles.uploadChunk', { transferId, offset: 0, data: text.subarray(0, 10).toString('base64') })).toEqual({ receivedBytes: 10 })
    await expect(agent.call('volumeFiles.uploadChunk', { transferId, offset: 3, data: 'AAAA' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'expected the piece at byte 10, not 3' })
    await agent.call('volumeFiles.uploadChunk', { transferId, offset: 10, data: text.subarray(10).toString('base64') })
    expect(agent.state.files.get('web-data')!.has('assets/site.conf')).toBe(false)
    expect(await agent.call('volumeFiles.uploadFinish', { transferId })).toEqual({ path: 'assets/site.conf', sizeBytes: text.length })
    expect(agent.state.files.get('web-data')!.get('assets/site.conf')?.content?.toString('utf8')).toBe(text.toString('utf8'))
    expect(agent.engine.requested('PUT', /\/archive$/)[0]!.query.get('path')).toBe('/volume/assets')
  })

  it('refuses to replace a file unless asked, and never a folder', async () => {
    await expect(agent.call('volumeFiles.uploadStart', { volume: 'web-data', directory: '', name: 'index.html', sizeBytes: 3 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'a file named index.html already exists in /: choose to replace it to overwrite it',
    })
    await expect(agent.call('volumeFiles.uploadStart', { volume: 'web-data', directory: '', name: 'assets', sizeBytes: 3, overwrite: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'a folder named assets already exists in /',
    })
    const { transferId } = await agent.call('volumeFiles.uploadStart', { volume: 'web-data', directory: '', name: 'index.html', sizeBytes: 3, overwrite: true })
    await agent.call('volumeFiles.uploadChunk', { transferId, offset: 0, data: Buffer.from('new').toString('base64') })
    await agent.call('volumeFiles.uploadFinish', { transferId })
    expect(agent.state.files.get('web-data')!.get('index.html')?.content?.toString('utf8')).toBe('new')
  })

  it('refuses to finish an upload that is short of its announced size, and leaves nothing in the volume', async () => {
    const { transferId } = await agent.call('volumeFiles.uploadStart', { volume: 'web-data', directory: '', name: 'half.bin', sizeBytes: 8 })
    await agent.call('volumeFiles.uploadChunk', { transferId, offset: 0, data: Buffer.from('1234').toString('base64') })
    await expect(agent.call('volumeFiles.uploadFinish', { transferId })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'only 4 of 8 bytes arrived: the upload is incomplete' })
    expect(agent.state.files.get('web-data')!.has('half.bin')).toBe(false)
  })
})
