/**
 * One host's connection: SSH (or a local child), agent install, the protocol peer, and the
 * host's state as the renderer sees it. Agent methods are forwarded generically.
 */
import type { Duplex } from 'node:stream'
import type { z } from 'zod'
import { BerthError, type BerthErrorValue, toErrorValue } from '../../../protocol/errors'
import { type AgentMethod, agentEvents, agentMethods, type EngineInfo, type HostFields, type HostView } from '../../../protocol/schema'
import { archOfNode } from '../../../protocol/platform'
import { Peer } from '../../../protocol/wire/peer'
import { EventGuard } from './event-guard'
import { installAgent, loadAgentBundle, probeHost, removeOtherAgentVersions, startRemoteAgent } from './agent-installer'
import { startAgentless } from './agentless'
import { startLocalAgent } from './local-agent'
import { LoginPrompts } from '../ssh/login-prompts'
import { parseProxyJump, type SavedHostLookup } from '../ssh/proxy-jump'
import { handshakeTimeoutMs, SshConnection } from '../ssh/connection'
import { passwordKey, type SshEnvironment, sshTargetOf } from '../ssh/target'

/** A host as saved: its settings, its id, and whether it is this computer (never saved). */
export type HostConfig = HostFields & { id: string; local?: boolean }

/** The settings the SSH link is made from: a change to one of them means connecting again. */
const LINK_SETTINGS = ['address', 'port', 'user', 'identityFile', 'identitiesOnly', 'proxyJump'] as const

/** The settings a view shows, optional ones only where set. */
function settingsView(config: HostConfig): Pick<HostView, 'id' | keyof HostFields> {
  const { id, name, address, port, user, identityFile, identitiesOnly, proxyJump } = config
  return {
    id,
    name,
    address,
    port,
    user,
    ...(identityFile ? { identityFile } : {}),
    ...(identitiesOnly ? { identitiesOnly: true } : {}),
    ...(proxyJump ? { proxyJump } : {}),
  }
}

export interface HostLinkDeps {
  ssh: SshEnvironment
  agentDir: string
  processEnv: NodeJS.ProcessEnv
  emit: (event: string, payload: unknown) => void
  /** Finds a saved host by name, for ProxyJump hops that name one. */
  savedHost: SavedHostLookup
  /** Drops a password the host refused, so it is asked for again. */
  forgetPassword: (target: string) => void
  /** Reaches the host's agent some other way than SSH or a local child (tests: an in-memory pipe to a fake). */
  connectAgent?: (config: HostConfig) => Promise<AgentTransport>
}

/** A byte link to a host's agent, and the agent version it must say in its hello. */
export interface AgentTransport {
  transport: Duplex
  version: string
  /** What the agent wrote to stderr lately, to explain a failed hello. */
  stderr: () => string
}

/** Waits before reconnecting after a dropped link: doubles from the first to the last. */
const RETRY_FIRST_MS = 1_000
const RETRY_MAX_MS = 30_000
/** Failures worth retrying by themselves; others (a changed key, refused auth) need the user. */
const RETRYABLE = new Set(['UNREACHABLE', 'TIMEOUT'])
/** Install failures that agentless mode works around; network failures it cannot. */
const FALLBACK_CODES = new Set(['UNSUPPORTED', 'PERMISSION_DENIED', 'INTERNAL'])

export class HostLink {
  private view: HostView
  private peer: Peer | undefined
  private ssh: SshConnection | undefined
  private stopLocal: (() => void) | undefined
  private connecting: Promise<HostView> | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private retryMs = RETRY_FIRST_MS
  /** What this host's agent may tell the windows (see EventGuard). */
  private readonly events = new EventGuard(
    () => this.view.name,
    (event, payload) => this.relay(event, payload),
  )
  private readonly prompts = new LoginPrompts(
    () => this.view.name,
    (round) => this.update({ pendingPrompt: round }),
  )

  constructor(
    private current: HostConfig,
    private readonly deps: HostLinkDeps,
  ) {
    this.view = { ...settingsView(current), local: current.local ?? false, state: 'disconnected' }
  }

  get config(): HostConfig {
    return this.current
  }

  /** New settings for this host; a live connection is closed so the next one uses them. */
  reconfigure(config: HostConfig): HostView {
    // unset, empty and false are all "not set"
    const linkChanged = LINK_SETTINGS.some((key) => (config[key] || undefined) !== (this.current[key] || undefined))
    this.current = config
    if (linkChanged) this.disconnect()
    // an optional setting cleared is dropped from the view, not left at its old value
    this.update({ identityFile: undefined, identitiesOnly: undefined, proxyJump: undefined, ...settingsView(config) })
    return this.view
  }

  /** The login a password belongs to: user@address:port. */
  passwordTarget(): string {
    return passwordKey(this.current)
  }

  get snapshot(): HostView {
    return this.view
  }

  connect(options: { trustFingerprint?: string } = {}): Promise<HostView> {
    if (this.view.state === 'connected') return Promise.resolve(this.view)
    this.stopRetrying()
    this.connecting ??= this.doConnect(options).finally(() => (this.connecting = undefined))
    return this.connecting
  }

  disconnect(): HostView {
    this.stopRetrying()
    this.prompts.cancel()
    this.teardown()
    this.update({ state: 'disconnected', error: undefined, reconnect: undefined, pendingHostKey: undefined, pendingPassphrase: undefined, pendingPassword: undefined })
    return this.view
  }

  /** The user's answers to what the server asks mid-login (pendingPrompt). */
  answerPrompt(answers: string[]): HostView {
    this.prompts.answer(answers)
    return this.view
  }

  /**
   * An agent method, forwarded. The answer is typed as its schema says without parsing it
   * again: the agent's handler table is typed with the same schema, and the hello refuses an
   * agent of another version.
   */
  async request<M extends AgentMethod>(method: M, params: unknown): Promise<z.input<(typeof agentMethods)[M]['result']>> {
    // a follow or pull named in the call or its answer is this host's: its events are relayed
    this.events.own(params)
    const result = await this.connectedPeer().request(method, params, { timeoutMs: agentMethods[method].timeoutMs })
    this.events.own(result)
    return result as z.input<(typeof agentMethods)[M]['result']>
  }

  /** The protocol peer while connected (terminals bind their streams to it). */
  connectedPeer(): Peer {
    const peer = this.peer
    if (!peer || this.view.state !== 'connected') {
      throw new BerthError('UNREACHABLE', `${this.view.name} is not connected`)
    }
    return peer
  }

  private async doConnect(options: { trustFingerprint?: string }): Promise<HostView> {
    this.teardown()
    this.update({
      // a reconnect stays one: its tries do not flicker through connecting and installing
      state: this.view.reconnect ? 'reconnecting' : 'connecting',
      error: undefined,
      pendingHostKey: undefined,
      pendingPassphrase: undefined,
      pendingPassword: undefined,
      pendingPrompt: undefined,
    })
    try {
      const started = await this.startAgent(options)
      const peer = new Peer(started.transport, { role: 'client', version: started.version, expectVersion: started.version })
      this.peer = peer
      await peer.ready.catch((err: BerthError) => {
        const tail = started.stderr().trim()
        throw tail ? new BerthError(err.code, `${err.message}; the agent said: ${tail}`, err.detail) : err
      })
      this.wire(peer)
      const info = await this.engineInfo(peer)
      await peer.request('events.subscribe', {})
      this.update({
        state: 'connected',
        reconnect: undefined,
        agentVersion: started.version,
        ...(info ? { arch: info.arch, engineVersion: info.engineVersion, emulated: info.emulated, engineAvailable: true } : {}),
      })
      this.retryMs = RETRY_FIRST_MS
      return this.view
    } catch (err) {
      this.teardown()
      const error = toErrorValue(err)
      const pending =
        error.code === 'HOST_KEY_UNKNOWN' && error.detail
          ? {
              keyType: String(error.detail.keyType),
              fingerprint: String(error.detail.fingerprint),
              address: String(error.detail.address ?? this.config.address),
              port: Number(error.detail.port ?? this.config.port),
            }
          : undefined
      const locked = error.code === 'AUTH_FAILED' ? error.detail?.needsPassphrase : undefined
      const password = error.code === 'AUTH_FAILED' && (error.detail?.needsPassword || error.detail?.passwordRefused)
      if (error.detail?.passwordRefused) this.deps.forgetPassword(this.passwordTarget())
      if (this.view.reconnect && RETRYABLE.has(error.code)) {
        this.scheduleRetry(error)
        throw BerthError.fromValue(error)
      }
      // the user gave up at the server's question: that is a disconnect, not a failure to show
      if (error.detail?.cancelled) {
        this.update({ state: 'disconnected', error: undefined, reconnect: undefined })
        throw BerthError.fromValue(error)
      }
      this.update({
        state: 'error',
        error,
        reconnect: undefined,
        pendingHostKey: pending,
        pendingPassphrase: typeof locked === 'string' ? { keyFile: locked } : undefined,
        pendingPassword: password ? { target: this.passwordTarget(), refused: Boolean(error.detail?.passwordRefused) } : undefined,
      })
      throw BerthError.fromValue(error)
    }
  }

  private async startAgent(options: { trustFingerprint?: string }): Promise<AgentTransport> {
    if (this.deps.connectAgent) return this.deps.connectAgent(this.config)
    const started = this.config.local ? await this.startLocal() : await this.startRemote(options)
    return { transport: started.transport, stderr: started.stderr, version: started.bundle.version }
  }

  private async startLocal() {
    const bundle = await loadAgentBundle(this.deps.agentDir)
    const local = startLocalAgent(bundle.file, this.deps.processEnv)
    this.stopLocal = local.stop
    return { ...local, bundle }
  }

  private async startRemote(options: { trustFingerprint?: string }) {
    const target = sshTargetOf(this.config)
    if (this.config.proxyJump) target.jumps = parseProxyJump(this.config.proxyJump, target, this.deps.savedHost)
    const ssh = await SshConnection.connect(
      target,
      this.deps.ssh,
      {
        ask: this.prompts.ask,
        readyTimeoutMs: handshakeTimeoutMs(this.deps.processEnv),
        ...(options.trustFingerprint ? { trustFingerprint: options.trustFingerprint } : {}),
      },
    )
    this.ssh = ssh
    const bundle = await loadAgentBundle(this.deps.agentDir)
    if (!this.view.reconnect) this.update({ state: 'installing' })
    try {
      const platform = await probeHost(ssh, bundle)
      // Node's name until the engine says its own (and for good where it cannot be asked)
      this.update({ arch: archOfNode(platform.nodeArch) })
      const { path, uploaded } = await installAgent(ssh, bundle, platform)
      // older versions are of no use once this one is in place (done when it was put there)
      if (uploaded) removeOtherAgentVersions(ssh, platform, bundle).catch(() => {})
      this.update({ mode: 'agent', notice: undefined })
      return { ...(await startRemoteAgent(ssh, path, platform.daemonSocket)), bundle }
    } catch (err) {
      // the host cannot run the agent: work through its docker CLI instead, and say why
      const error = toErrorValue(err)
      if (!FALLBACK_CODES.has(error.code)) throw err
      this.update({ mode: 'agentless', notice: `Running without Berth's agent: ${error.message}` })
      return { ...startAgentless(ssh, bundle.version), bundle }
    }
  }

  /** Engine facts; a stopped engine leaves the host connected but marked unavailable. */
  private async engineInfo(peer: Peer): Promise<EngineInfo | undefined> {
    try {
      return agentMethods['engine.info'].result.parse(await peer.request('engine.info', {}))
    } catch (err) {
      const error = toErrorValue(err)
      if (error.code !== 'ENGINE_UNAVAILABLE' && error.code !== 'PERMISSION_DENIED') throw err
      this.update({ engineAvailable: false, error })
      return undefined
    }
  }

  private wire(peer: Peer): void {
    peer.on('event', (event, payload) => {
      if (!Object.hasOwn(agentEvents, event)) return
      const parsed = agentEvents[event as keyof typeof agentEvents].safeParse(payload)
      if (parsed.success) this.events.offer(event, parsed.data)
    })
    peer.on('close', (reason) => {
      if (this.peer !== peer) return
      this.teardown()
      const message = `lost the connection to ${this.view.name}: ${reason.message}`
      // an agent that broke the protocol is told as such, not as a network failure, and is not
      // tried again by itself: the same agent would break it the same way
      if (reason.code === 'PROTOCOL_ERROR') {
        this.update({ state: 'error', error: { code: 'PROTOCOL_ERROR', message }, reconnect: undefined })
        return
      }
      this.retryMs = RETRY_FIRST_MS
      this.scheduleRetry({ code: 'UNREACHABLE', message })
    })
  }

  /** An agent event the guard let through, to the windows with this host's id. */
  private relay(event: string, payload: Record<string, unknown>): void {
    if (event === 'engine.stateChanged') this.onEngineState(payload as { available: boolean; message?: string })
    this.deps.emit(event, { ...payload, hostId: this.config.id })
  }

  private onEngineState(state: { available: boolean; message?: string }): void {
    if (!state.available) {
      this.update({
        engineAvailable: false,
        error: { code: 'ENGINE_UNAVAILABLE', message: `the container engine stopped answering${state.message ? `: ${state.message}` : ''}` },
      })
      return
    }
    const peer = this.peer
    if (!peer) return
    this.engineInfo(peer).then(
      (info) => info && this.update({ engineAvailable: true, error: undefined, arch: info.arch, engineVersion: info.engineVersion }),
      () => {},
    )
  }

  /**
   * After a dropped link, and after each try that failed the same way: the next try, later each
   * time, until one works or a failure needs the user. hosts.connect ("Retry now") tries at once.
   */
  private scheduleRetry(error: BerthErrorValue): void {
    this.stopRetrying()
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
    const attempt = (this.view.reconnect?.attempt ?? 0) + 1
    this.update({ state: 'reconnecting', error, reconnect: { attempt, nextTryAt: Date.now() + delay } })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      // a failure schedules the next try itself (doConnect), or leaves the host to the user
      this.connect().catch(() => {})
    }, delay)
  }

  private stopRetrying(): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
  }

  private teardown(): void {
    const peer = this.peer
    this.peer = undefined
    peer?.close()
    this.ssh?.close()
    this.ssh = undefined
    this.stopLocal?.()
    this.stopLocal = undefined
  }

  private update(patch: Partial<HostView>): void {
    const next = { ...this.view, ...patch } as Record<string, unknown>
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key]
    this.view = next as HostView
    this.deps.emit('host.stateChanged', this.view)
  }
}
