/**
 * The agent's folders and socket must be this user's alone. Another user who could write into
 * ~/.berth (a group-writable folder, a folder of theirs, a symbolic link to one) could swap the
 * agent for a program of their own, or answer on the socket in the daemon's place and read the
 * terminals and registry logins that pass through it. So before the daemon listens or anyone
 * connects, each of them is checked with lstat (a link is never followed) and refused if wrong.
 *
 * main's connect probe (main/core/hosts/agent-installer.ts) makes the same checks in the one
 * Node.js start it already pays for; this is the agent's own copy, for whatever starts it.
 */
import { lstatSync } from 'node:fs'
import { basename, dirname } from 'node:path'

/** The exit code of an agent that refused its own folders: main then runs agentless. */
export const UNSAFE_EXIT_CODE = 3

export interface PathProblem {
  path: string
  /** Says what is wrong, to follow the path: "is a symbolic link". */
  problem: string
  kind: 'folder' | 'socket'
}

/** What is wrong with one folder or socket, if anything; a path that does not exist is fine. */
export function pathProblem(path: string, kind: PathProblem['kind'], uid = process.getuid?.() ?? 0): PathProblem | undefined {
  let info
  try {
    info = lstatSync(path)
  } catch {
    return undefined
  }
  const wrong = (problem: string): PathProblem => ({ path, problem, kind })
  if (info.isSymbolicLink()) return wrong('is a symbolic link')
  if (kind === 'folder' && !info.isDirectory()) return wrong('is not a folder')
  if (kind === 'socket' && !info.isSocket()) return wrong('is not a socket')
  if (info.uid !== uid) return wrong(`belongs to another user (uid ${info.uid})`)
  if (info.mode & 0o077) return wrong(`is open to other users (mode ${(info.mode & 0o777).toString(8)})`)
  return undefined
}

/**
 * The folders that hold an installed agent's socket (`~/.berth/agent/<version>/agent.sock`):
 * its own folder, and up to ~/.berth when it sits there as installed.
 */
export function socketFolders(socketPath: string): string[] {
  const own = dirname(socketPath)
  const agents = dirname(own)
  const berth = dirname(agents)
  return basename(berth) === '.berth' && basename(agents) === 'agent' ? [berth, agents, own] : [own]
}

/** The first problem with the socket's folders or the socket itself. */
export function socketProblem(socketPath: string): PathProblem | undefined {
  for (const folder of socketFolders(socketPath)) {
    const problem = pathProblem(folder, 'folder')
    if (problem) return problem
  }
  return pathProblem(socketPath, 'socket')
}

/** One sentence for a person: the path, what is wrong, and how to put it right. */
export function describePathProblem({ path, problem, kind }: PathProblem): string {
  const fix = kind === 'folder' && problem.startsWith('is open') ? `make it yours alone (chmod 700 ${path})` : 'remove it (Berth makes it again, private)'
  return `${path} ${problem}, so another user could stand in for Berth's agent: ${fix} and connect again`
}
