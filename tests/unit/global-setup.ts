/**
 * The unit project's global setup. After the run it says how much of the agent and main the
 * suites that need no root loaded (every project but the lab), counted from the module graphs
 * those projects built: a file is counted once some test imported it, directly or not.
 *
 *   agent modules loaded without root: 40 of 45; main: 20 of 30
 *
 * BERTH_LIST_UNLOADED=1 also lists the files no such test loaded.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { TestProject } from 'vitest/node'

/** TypeScript sources under dir, declaration files left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
}

function loadedFiles(project: TestProject): Set<string> {
  const files = new Set<string>()
  for (const p of project.vitest.projects) {
    if (p.name === 'lab') continue
    for (const environment of Object.values(p.vite.environments)) {
      for (const file of environment.moduleGraph.fileToModulesMap.keys()) files.add(file)
    }
  }
  return files
}

export default function setup(project: TestProject): () => void {
  return () => {
    const root = project.config.root
    const loaded = loadedFiles(project)
    const counts = ['agent', 'main'].map((area) => {
      const all = sources(join(root, area))
      const unloaded = all.filter((f) => !loaded.has(f))
      return { area, loaded: all.length - unloaded.length, total: all.length, unloaded }
    })
    const [agent, main] = counts as [(typeof counts)[0], (typeof counts)[0]]
    process.stdout.write(`\nagent modules loaded without root: ${agent.loaded} of ${agent.total}; main: ${main.loaded} of ${main.total}\n`)
    if (process.env.BERTH_LIST_UNLOADED === '1') {
      for (const c of counts) for (const f of c.unloaded) process.stdout.write(`  not loaded: ${relative(root, f)}\n`)
    }
  }
}
