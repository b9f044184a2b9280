/** Where Berth keeps its own files, and where it finds the user's SSH files. */
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_DATA_DIR) return env.BERTH_DATA_DIR
  const config = env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(config, 'berth')
}

/**
 * `~` and `~/…` as the shell and ssh_config write them, in the home Berth was configured with
 * (CoreOptions.homeDir: tests and the lab give each run its own), never the OS's guess.
 */
export function expandHome(path: string, home: string): string {
  return path.replace(/^~(?=\/|$)/, home)
}

export function userKnownHostsFile(home: string): string {
  return join(home, '.ssh', 'known_hosts')
}

/** Keys the user accepts in Berth go here, never into ~/.ssh/known_hosts. */
export function berthKnownHostsFile(dataDir: string): string {
  return join(dataDir, 'known_hosts')
}
