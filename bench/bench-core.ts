/** A BerthCore for a bench against the lab: its own data folder, in a home the bench gives it. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BerthCore } from '../main/core/core'

const root = join(import.meta.dirname, '..')

export interface BenchCore {
  core: BerthCore
  /** Closes the core and removes its data folder and the home. */
  close(): Promise<void>
}

/** Starts a core on this checkout's built agent (out/agent), with no local engine. */
export async function startBenchCore(home: string): Promise<BenchCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-data-'))
  const core = new BerthCore({ dataDir, agentDir: join(root, 'out/agent'), autoConnect: false, homeDir: home, env: { DOCKER_HOST: 'unix:///none' } })
  await core.start()
  return {
    core,
    close: async () => {
      await core.close()
      rmSync(home, { recursive: true, force: true })
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A core method's result; its error as a thrown Error. */
export async function invoke(core: BerthCore, method: string, params: unknown): Promise<unknown> {
  const answer = await core.invoke(method, params)
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`)
  return answer.result
}
