/**
 * ~/.berth as users' hosts may have it: opened to a group, a link to somewhere else, someone
 * else's. Neither main's connect probe nor the agent itself trusts such a folder or socket: each
 * refuses, naming the path and what is wrong, and main then runs agentless (host-link.ts).
 */
import { chmod, chown, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { reachDaemon } from '../../agent/runtime/daemon'
import { pathProblem, socketFolders, UNSAFE_EXIT_CODE } from '../../agent/runtime/private-paths'
import { type AgentBundle, agentInstallDir, installAgent, probeHost } from '../../main/core/hosts/agent-installer'
import { shHost, testBundle } from '../support/sh-host'

let work = ''
let home = ''
let bundle: AgentBundle
let server: Server | undefined

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-private-paths-'))
  home = join(work, 'home')
  await mkdir(home)
  bundle = await testBundle(work, '9.9.9-private', '// agent\n', {})
})
afterEach(async () => {
  vi.restoreAllMocks()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
  await rm(work, { recursive: true, force: true })
})

/** Installs the agent as a connect would, and says where it went. */
async function installed(): Promise<{ dir: string; conn: ReturnType<typeof shHost>['conn'] }> {
  const { conn } = shHost(home)
  const platform = await probeHost(conn, bundle)
  await installAgent(conn, bundle, platform)
  return { dir: agentInstallDir(platform, bundle), conn }
}

describe("the connect probe on a host whose ~/.berth is not the user's alone", { timeout: 30_000 }, () => {
  it('refuses a ~/.berth its group may write to, naming it, the mode and the fix', async () => {
    const { conn } = await installed()
    await chmod(join(home, '.berth'), 0o770)
    await expect(probeHost(conn, bundle)).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: `${home}/.berth is open to other users (mode 770), so another user could stand in for Berth's agent: make it yours alone (chmod 700 ${home}/.berth) and connect again`,
    })
  })

  it('refuses a ~/.berth that is a symbolic link, even to a private folder', async () => {
    const { conn } = shHost(home)
    await mkdir(join(work, 'elsewhere'), { mode: 0o700 })
    await symlink(join(work, 'elsewhere'), join(home, '.berth'))
    await expect(probeHost(conn, bundle)).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining(`${home}/.berth is a symbolic link`),
    })
  })

  it("refuses a version folder opened to others, and a socket others may connect to", async () => {
    const { dir, conn } = await installed()
    await chmod(dir, 0o705)
    await expect(probeHost(conn, bundle)).rejects.toMatchObject({ message: expect.stringContaining(`${dir} is open to other users (mode 705)`) })
    await chmod(dir, 0o700)
    server = createServer((c) => c.end())
    await new Promise<void>((resolve) => server!.listen(join(dir, 'agent.sock'), resolve))
    await chmod(join(dir, 'agent.sock'), 0o666)
    await expect(probeHost(conn, bundle)).rejects.toMatchObject({
      message: expect.stringContaining(`${dir}/agent.sock is open to other users (mode 666), so another user could stand in for Berth's agent: remove it`),
    })
  })

  it.runIf(process.getuid?.() === 0)("refuses a folder that belongs to another user", async () => {
    const { dir, conn } = await installed()
    await chown(join(home, '.berth/agent'), 4321, 4321)
    await expect(probeHost(conn, bundle)).rejects.toMatchObject({
      message: expect.stringContaining(`${home}/.berth/agent belongs to another user (uid 4321)`),
    })
    expect(dir).toContain('.berth/agent/')
  })

  it('finds nothing wrong with the folders the installer makes', async () => {
    const { conn } = await installed()
    expect(await probeHost(conn, bundle)).toMatchObject({ installed: true })
  })
})

describe("the agent's own check", () => {
  it('checks every folder from ~/.berth down to an installed socket, and only the own folder elsewhere', () => {
    expect(socketFolders('/home/u/.berth/agent/1.0-linux-x64/agent.sock')).toEqual(['/home/u/.berth', '/home/u/.berth/agent', '/home/u/.berth/agent/1.0-linux-x64'])
    expect(socketFolders('/opt/berth/agent.sock')).toEqual(['/opt/berth'])
  })

  it('knows a file is not a folder, and passes a path that is not there', async () => {
    expect(pathProblem(join(work, 'out-agent/agent.cjs'), 'folder')).toMatchObject({ problem: 'is not a folder' })
    expect(pathProblem(join(work, 'nothing'), 'folder')).toBeUndefined()
  })

  it('will not reach (nor start) a daemon in a folder others may write to, and says why', async () => {
    const { dir } = await installed()
    await chmod(dir, 0o770)
    const said: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => said.push(String(text)) > 0)
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`)
    })
    await expect(reachDaemon(join(dir, 'agent.sock'), join(dir, 'agent.cjs'))).rejects.toThrow(`exit ${UNSAFE_EXIT_CODE}`)
    expect(said.join('')).toContain(`refusing to run: ${dir} is open to other users (mode 770)`)
  })
})
