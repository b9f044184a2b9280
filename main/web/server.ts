/**
 * `npm run web`: Berth in a browser tab. Prints the address with its access token.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BerthCore } from '../core/core'
import { defaultDataDir } from '../core/paths'
import { startWebShell } from './web-shell'

const here = dirname(fileURLToPath(import.meta.url))

async function main(): Promise<void> {
  const portArg = process.argv.indexOf('--port')
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.BERTH_PORT ?? 0)
  const core = new BerthCore({ dataDir: defaultDataDir(), agentDir: join(here, '../agent') })
  await core.start()
  const shell = await startWebShell(core, { staticDir: join(here, '../renderer'), port })
  process.stdout.write(`Berth is running at ${shell.url}\n`)
  // each address logs in once: Enter prints a fresh one for another browser or tab
  process.stdout.write('(that address works once; press Enter here for another)\n')
  process.stdin.on('data', () => process.stdout.write(`Berth is running at ${shell.loginUrl()}\n`))
  process.stdin.on('error', () => {})
  const stop = async (): Promise<void> => {
    await core.close()
    await shell.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
