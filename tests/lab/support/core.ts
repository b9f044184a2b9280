/** A BerthCore in this process, with its own data folder and home, for core-level lab tests. */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BerthCore, type CoreOptions } from '../../../main/core/core'
import type { z } from 'zod'
import type { AgentMethod, agentMethods, ApiMethod, ApiParams, ApiResult, HostView } from '../../../protocol/schema'
import type { Lab, LabHost } from './lab'

export const agentDir = join(import.meta.dirname, '../../../out/agent')

/**
 * The SSH handshake's limit for cores of tests that outlast it (a link cut, a slow answer to a
 * login question): 20 s by default (main/core/ssh/connection.ts), a few seconds here.
 */
export const SHORT_HANDSHAKE_MS = 4_000
export const shortHandshake = { BERTH_SSH_HANDSHAKE_TIMEOUT_MS: String(SHORT_HANDSHAKE_MS) }

export interface TestCore {
  core: BerthCore
  home: string
  dataDir: string
  events: Array<{ event: string; payload: Record<string, unknown> }>
}

export async function startCore(env: NodeJS.ProcessEnv = {}, options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const base = mkdtempSync(join(tmpdir(), 'berth-core-'))
  const home = options.homeDir ?? join(base, 'home')
  const dataDir = options.dataDir ?? join(base, 'data')
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 })
  // no local engine unless a test asks for one
  const core = new BerthCore({
    agentDir,
    autoConnect: false,
    ...options,
    dataDir,
    homeDir: home,
    env: { DOCKER_HOST: 'unix:///nonexistent.sock', ...env },
  })
  const events: TestCore['events'] = []
  core.onEvent((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }))
  await core.start()
  return { core, home, dataDir, events }
}

/** An agent method's params without the hostId: what a test's helper for one host takes. */
export type HostParams<M extends AgentMethod> = z.input<(typeof agentMethods)[M]['params']>

/** Params for an agent method on one host, as the window sends them. */
export function onHost<M extends AgentMethod>(hostId: string, params: HostParams<M>): ApiParams<M> {
  return { ...params, hostId } as ApiParams<M>
}

/** Calls a method as the window does, typed from protocol/schema; a failure throws its error value. */
export async function call<M extends ApiMethod>(core: BerthCore, method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
  const envelope = await core.invoke(method, params)
  if (!envelope.ok) throw Object.assign(new Error(`${envelope.error.code}: ${envelope.error.message}`), envelope.error)
  return envelope.result as ApiResult<M>
}

export async function addLabHost(core: BerthCore, lab: Lab, host: LabHost, extra: Record<string, unknown> = {}): Promise<HostView> {
  return call(core, 'hosts.add', {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    identityFile: lab.identityFile,
    ...extra,
  })
}

/** Adds a lab host, accepts its key (checked against the lab's own record) and connects. */
export async function connectLabHost(core: BerthCore, lab: Lab, host: LabHost): Promise<HostView> {
  const view = await addLabHost(core, lab, host)
  const first = await core.invoke('hosts.connect', { hostId: view.id })
  if (first.ok) return first.result as HostView
  if (first.error.code !== 'HOST_KEY_UNKNOWN' || first.error.detail?.fingerprint !== host.hostKeyFingerprint) {
    throw new Error(`unexpected: ${first.error.code} ${first.error.message}`)
  }
  return call(core, 'hosts.trustKey', { hostId: view.id, fingerprint: host.hostKeyFingerprint })
}
