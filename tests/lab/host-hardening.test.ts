/**
 * Hosts as people have them: a ~/.berth that is no longer the user's alone (opened to a group,
 * a link to somewhere else), and an SSH server without SFTP (Dropbear on DietPi and OpenWrt,
 * an sshd without `Subsystem sftp`). Berth refuses the first, saying what to fix, and runs
 * agentless; the second still gets the agent, through exec channels.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostView } from '../../protocol/schema'
import { agentDir, call, connectLabHost, startCore, type TestCore } from './support/core'
import { labHost, readLab } from './support/lab'
import { type PamSshd, startPamSshd } from './support/pam-sshd'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const home = `/home/${h1.user}`
const berth = `${home}/.berth`
const manifest = JSON.parse(readFileSync(join(agentDir, 'manifest.json'), 'utf8')) as { version: string; sha256: string }
const cores: TestCore[] = []

afterAll(async () => {
  for (const c of cores) await c.core.close()
})

/** Connects h1 as its login user in a new core, as a person pressing Connect would. */
async function connectH1(): Promise<HostView> {
  const t = await startCore()
  cores.push(t)
  return connectLabHost(t.core, lab, h1)
}

const asUser = (command: string) => execFileSync('su', ['-s', '/bin/sh', '-c', command, h1.user])

describe("a ~/.berth that is not the user's alone", () => {
  beforeAll(async () => {
    // the agent installed and intact: what Berth would otherwise use straight away
    expect(await connectH1()).toMatchObject({ state: 'connected', mode: 'agent' })
  })

  it('is refused when its group may write to it: Berth says which folder and how to fix it, and runs agentless', async () => {
    asUser(`chmod g+w ${berth}`)
    try {
      const view = await connectH1()
      expect(view).toMatchObject({ state: 'connected', mode: 'agentless' })
      expect(view.notice).toBe(
        `Running without Berth's agent: ${berth} is open to other users (mode 720), so another user could stand in for Berth's agent: ` +
          `make it yours alone (chmod 700 ${berth}) and connect again`,
      )
    } finally {
      asUser(`chmod 700 ${berth}`)
    }
    expect(await connectH1()).toMatchObject({ mode: 'agent' })
  })

  it('is refused when it is a symbolic link, even to a private folder of the same user', async () => {
    asUser(`mv ${berth} ${berth}-real && ln -s ${berth}-real ${berth}`)
    try {
      const view = await connectH1()
      expect(view).toMatchObject({ state: 'connected', mode: 'agentless' })
      expect(view.notice).toContain(`${berth} is a symbolic link`)
      // the containers are there all the same
      const list = await call(cores.at(-1)!.core, 'containers.list', { hostId: view.id })
      expect(list.length).toBeGreaterThan(0)
    } finally {
      asUser(`rm ${berth} && mv ${berth}-real ${berth}`)
    }
  })
})

describe('an SSH server without SFTP', () => {
  const PORT = 2225
  let sshd: PamSshd

  beforeAll(async () => {
    sshd = await startPamSshd(h1, {
      port: PORT,
      service: 'berth-lab-nosftp',
      auth: ['auth required pam_deny.so'],
      // no `Subsystem sftp` line: the server has none
      config: [`AllowUsers ${h1.user}`, 'PubkeyAuthentication yes', 'AuthorizedKeysFile .ssh/authorized_keys', 'AllowStreamLocalForwarding yes'],
    })
  })
  afterAll(() => sshd?.stop())

  it('gets the agent all the same, uploaded through exec channels and checked', async () => {
    // a first install: this version's folder gone (a daemon running from it goes on until idle)
    const dir = `${berth}/agent/${manifest.version}-linux-x64`
    asUser(`rm -rf ${dir}`)
    const t = await startCore()
    cores.push(t)
    const view = await call(t.core, 'hosts.add', { name: 'no-sftp', address: h1.address, port: PORT, user: h1.user, identityFile: lab.identityFile })
    await t.core.invoke('hosts.connect', { hostId: view.id })
    const connected = await call(t.core, 'hosts.trustKey', { hostId: view.id, fingerprint: h1.hostKeyFingerprint })
    expect(connected).toMatchObject({ state: 'connected', mode: 'agent' })
    expect(connected.notice).toBeUndefined()
    expect(execFileSync('sha256sum', [`${dir}/agent.cjs`], { encoding: 'utf8' }).split(' ')[0]).toBe(manifest.sha256)
    expect((statSync(`${dir}/agent.cjs`).mode & 0o777).toString(8)).toBe('600')
    // the server was asked for SFTP and had none
    expect(sshd.log()).toMatch(/subsystem request for sftp.*failed|subsystem not found/i)
    expect((await call(t.core, 'containers.list', { hostId: view.id })).length).toBeGreaterThan(0)
  })
})
