/** What the lab's up.sh made (read from its lab.json), and the docker CLI on a lab host. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'

export interface LabHost {
  name: string
  address: string
  port: number
  user: string
  /** A login on the same host whose PATH has no node (agentless mode). */
  bareUser: string
  /** That login's password (it alone accepts password authentication). */
  barePassword: string
  dockerHost: string
  netns: string
  hostKeyPublic: string
  hostKeyFingerprint: string
}

export interface Lab {
  identityFile: string
  registry: string
  image: string
  hosts: LabHost[]
}

export const LAB_JSON = '/run/berth-lab/lab.json'

export function readLab(): Lab {
  return JSON.parse(readFileSync(LAB_JSON, 'utf8')) as Lab
}

export function labHost(lab: Lab, name: string): LabHost {
  const host = lab.hosts.find((h) => h.name === name)
  if (!host) throw new Error(`the lab has no host ${name}`)
  return host
}

const run = promisify(execFile)

/** The docker CLI against a lab host's own engine, as a user on that host would type it. */
export async function docker(host: LabHost, ...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/docker', ['-H', host.dockerHost, ...args])
  return stdout.trim()
}

export async function containerStatus(host: LabHost, name: string): Promise<string> {
  return docker(host, 'inspect', '-f', '{{.State.Status}}', name)
}

/** Runs a command inside a lab host's network namespace (as root). */
export async function inHost(host: LabHost, ...command: string[]): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', host.netns, ...command])
  return stdout
}

/** Runs a command on a lab host as its login user, over real SSH. */
export async function sshRun(lab: Lab, host: LabHost, command: string): Promise<string> {
  const { stdout } = await run('ssh', [
    '-i', lab.identityFile,
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR',
    '-o', 'BatchMode=yes',
    `${host.user}@${host.address}`,
    command,
  ])
  return stdout
}
