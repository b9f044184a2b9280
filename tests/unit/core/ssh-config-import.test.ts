import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSshConfig } from '../../../main/core/ssh/config-import'

function home(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-sshcfg-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, '.ssh', name, '..'), { recursive: true })
    writeFileSync(join(dir, '.ssh', name), text)
  }
  return dir
}

describe('importing hosts from ~/.ssh/config', () => {
  it('resolves each host as ssh would: first value wins, wildcard blocks apply', async () => {
    const h = home({
      config: [
        'Host build',
        '  HostName 10.0.0.5',
        '  User ci',
        '  Port 2222',
        '  IdentityFile ~/.ssh/id_build',
        '  IdentitiesOnly yes',
        'Host pi pi-old',
        '  HostName %h.lan',
        '  ProxyJump build',
        'Host *.example.com !secret.example.com',
        '  User web',
        'Host *',
        '  User default-user',
        '  IdentityFile %d/.ssh/id_all',
      ].join('\n'),
    })
    const entries = await readSshConfig(h)
    expect(entries.map((e) => e.name)).toEqual(['build', 'pi', 'pi-old'])
    expect(entries[0]).toEqual({ name: 'build', address: '10.0.0.5', port: 2222, user: 'ci', identityFile: join(h, '.ssh/id_build'), identitiesOnly: true })
    expect(entries[1]).toMatchObject({ name: 'pi', address: 'pi.lan', port: 22, user: 'default-user', proxyJump: 'build', identityFile: join(h, '.ssh/id_all') })
  })

  it('follows Include, relative to ~/.ssh and with wildcards', async () => {
    const h = home({
      config: 'Include conf.d/*.conf\nHost *\n  User fallback\n',
      'conf.d/10-pis.conf': 'Host pi4\n  HostName 192.168.1.44\n',
      'conf.d/20-nas.conf': 'Host nas\n  HostName nas.home\n  User admin\n',
      'conf.d/ignored.txt': 'Host nope\n',
    })
    const entries = await readSshConfig(h)
    expect(entries).toEqual([
      { name: 'pi4', address: '192.168.1.44', port: 22, user: 'fallback' },
      { name: 'nas', address: 'nas.home', port: 22, user: 'admin' },
    ])
  })

  it('gives no hosts when there is no config, and the local user when none is set', async () => {
    expect(await readSshConfig(home({}))).toEqual([])
    const entries = await readSshConfig(home({ config: 'Host box\n' }))
    expect(entries).toEqual([{ name: 'box', address: 'box', port: 22, user: userInfo().username }])
  })
})
