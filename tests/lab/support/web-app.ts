/**
 * Runs the real browser shell (`node out/main/web.js`, what `npm run web` starts) with its
 * own data folder and home, and gives back the printed address with its token.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '../../..')

/** What `npm run web` runs once the build is done: the tests start exactly that. */
function webCommand(): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.web!
  const [, command] = script.split('&&').map((part) => part.trim())
  const [program, ...args] = command!.split(/\s+/)
  if (program !== 'node') throw new Error(`npm run web should end by running node, not: ${command}`)
  return args
}

export interface WebApp {
  url: string
  origin: string
  home: string
  dataDir: string
  output: () => string
  /** A new one-time login address, as pressing Enter in `npm run web`'s terminal prints. */
  loginUrl: () => Promise<string>
  stop: () => Promise<void>
}

export async function startWebApp(env: Record<string, string | undefined> = {}): Promise<WebApp> {
  const base = mkdtempSync(join(tmpdir(), 'berth-app-'))
  const home = join(base, 'home')
  const dataDir = join(base, 'data')
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 })
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOME: home, BERTH_DATA_DIR: dataDir, SSH_AUTH_SOCK: '', ...env }
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined || v === '') delete childEnv[k]
  const child: ChildProcess = spawn(process.execPath, webCommand(), { cwd: root, env: childEnv, stdio: 'pipe' })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web shell printed no address:\n${output}`)), 15_000)
    const check = (): void => {
      const match = /Berth is running at (\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => reject(new Error(`the web shell exited (${code}):\n${output}`)))
  })
  const loginUrl = async (): Promise<string> => {
    const seen = output.match(/Berth is running at \S+/g)?.length ?? 0
    child.stdin!.write('\n')
    for (let i = 0; i < 100; i++) {
      const all = [...output.matchAll(/Berth is running at (\S+)/g)]
      if (all.length > seen) return all.at(-1)![1]!
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`the web shell printed no new address:\n${output}`)
  }
  return {
    url,
    origin: new URL(url).origin,
    home,
    dataDir,
    output: () => output,
    loginUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
      }),
  }
}
