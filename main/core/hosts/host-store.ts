/**
 * Saved hosts, in the app's data folder. No secrets are stored here: keys stay in their
 * files, passphrases only in memory or the OS keychain.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { HostConfig } from './host-link'

interface StoredHosts {
  version: 1
  hosts: HostConfig[]
}

export class HostStore {
  private readonly file: string

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, 'hosts.json')
  }

  async load(): Promise<HostConfig[]> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as StoredHosts
      return Array.isArray(parsed.hosts) ? parsed.hosts.filter((h) => !h.local) : []
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a file. */
  async save(hosts: HostConfig[]): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    const data: StoredHosts = { version: 1, hosts: hosts.filter((h) => !h.local) }
    const tmp = `${this.file}.tmp-${process.pid}`
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 })
    await rename(tmp, this.file)
  }
}
