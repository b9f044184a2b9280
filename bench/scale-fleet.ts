/**
 * The containers-scale bench's fleet: thousands of `created` containers on one lab host,
 * made and removed straight through the engine API, and the figures read from /proc
 * (the lab hosts are network namespaces on this machine, so their processes are visible here).
 */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import Docker from 'dockerode'

export const SCALE_LABEL = 'berth.bench=scale'
export const SCALE_PREFIX = 'scale-'
/** Engine calls in flight at once while making or removing the fleet: a 2-core host takes 16 well. */
const ENGINE_CONCURRENCY = 16
/** A container that stops at once on SIGTERM (a plain `sleep` as PID 1 would wait the whole stop timeout). */
const QUICK_STOP = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait']

const run = promisify(execFile)

export const scaleName = (i: number) => `${SCALE_PREFIX}${String(i).padStart(5, '0')}`

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<unknown>, concurrency = ENGINE_CONCURRENCY): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

export class Fleet {
  readonly engine: Docker

  constructor(readonly dockerHost: string) {
    this.engine = new Docker({ socketPath: dockerHost.replace(/^unix:\/\//, '') })
  }

  /** The docker CLI against the host's engine, as a user on the host would type it. */
  async cli(...args: string[]): Promise<string> {
    return (await run('/usr/bin/docker', ['-H', this.dockerHost, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout.trim()
  }

  /** Every container this bench made (this run's or an earlier, interrupted one's). */
  async ours(): Promise<string[]> {
    const infos = await this.engine.listContainers({ all: true, filters: { label: [SCALE_LABEL] } })
    return infos.filter((c) => c.Names?.[0]?.startsWith(`/${SCALE_PREFIX}`)).map((c) => c.Id)
  }

  async create(count: number, image: string): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => scaleName(i + 1))
    const [key, value] = SCALE_LABEL.split('=') as [string, string]
    await eachLimited(names, (name) =>
      this.engine.createContainer({ name, Image: image, Cmd: QUICK_STOP, Labels: { [key]: value }, HostConfig: { NetworkMode: 'none' } }),
    )
    return names
  }

  /** Removes every container of this bench; resolves to how many there were. */
  async removeAll(): Promise<number> {
    const ids = await this.ours()
    await eachLimited(ids, (id) =>
      this.engine
        .getContainer(id)
        .remove({ force: true })
        .catch((err: { statusCode?: number }) => {
          // gone already (removed meanwhile): that is what we wanted
          if (err.statusCode !== 404) throw err
        }),
    )
    return ids.length
  }
}


/** The first process whose command line, owner and environment pass `test`. */
export function findProcess(test: (args: string, uid: number, env: () => string) => boolean): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1])
      if (test(args, uid, () => readFileSync(`/proc/${entry}/environ`, 'utf8'))) return Number(entry)
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined
}

/** The agent daemon a login runs on its host (`node .../agent.cjs --daemon`). */
export async function agentDaemonPid(user: string): Promise<number> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim())
  const pid = findProcess((args, owner) => owner === uid && args.includes('agent.cjs') && args.includes('--daemon'))
  if (!pid) throw new Error(`no agent daemon runs as ${user}`)
  return pid
}
