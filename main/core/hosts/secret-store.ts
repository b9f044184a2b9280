/**
 * Secrets the user chose to keep (key passphrases, registry logins), encrypted by
 * the OS keychain through Electron's safeStorage and written only as ciphertext, in a 0600
 * file in the app's data folder. Without a keychain (the browser shell) nothing is saved and
 * the caller says so: secrets then live in memory until Berth quits.
 */
import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BerthError } from '../../../protocol/errors'

/** Electron's safeStorage has this shape; the core never imports Electron itself. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

export class SecretStore {
  private readonly file: string
  private cache: Record<string, string> | undefined

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher | undefined,
  ) {
    this.file = join(dataDir, 'secrets.json')
  }

  get available(): boolean {
    return this.cipher?.isEncryptionAvailable() ?? false
  }

  async save(key: string, secret: string): Promise<void> {
    if (!this.cipher || !this.available) {
      throw new BerthError('UNSUPPORTED', 'saving needs the OS keychain, which only the desktop app reaches; Berth keeps it in memory until it quits')
    }
    const all = await this.load()
    all[key] = this.cipher.encryptString(secret).toString('base64')
    await this.write(all)
  }

  /** Every saved secret under a key prefix, decrypted; those that no longer decrypt are skipped. */
  async entries(prefix: string): Promise<Array<[string, string]>> {
    if (!this.cipher || !this.available) return []
    const out: Array<[string, string]> = []
    for (const [key, value] of Object.entries(await this.load())) {
      if (!key.startsWith(prefix)) continue
      try {
        out.push([key.slice(prefix.length), this.cipher.decryptString(Buffer.from(value, 'base64'))])
      } catch {
        // written under another keychain (another user or machine): unusable, left alone
      }
    }
    return out
  }

  async forget(key: string): Promise<void> {
    const all = await this.load()
    if (!(key in all)) return
    delete all[key]
    await this.write(all)
  }

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache
    try {
      this.cache = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>
    } catch {
      this.cache = {}
    }
    return this.cache
  }

  private async write(all: Record<string, string>): Promise<void> {
    this.cache = all
    const tmp = `${this.file}.tmp-${process.pid}`
    await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 })
    await chmod(tmp, 0o600)
    await rename(tmp, this.file)
  }
}
