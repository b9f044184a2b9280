/**
 * One host's connection: SSH (or a local child), agent install, the protocol peer, and the
 * host's state as the renderer sees it. Agent methods are forwarded generically.
 */
import { BerthError, toErrorValue } from '../../../protocol/errors'
import { type AgentMethod, agentEvents, agentMethods, type EngineInfo, type HostView } from '../../../protocol/schema'
import { Peer } from '../../../protocol/wire/peer'
import { installAgent, loadAgentBundle, probeHost, removeOtherAgentVersions, startRemoteAgent } from './agent-installer'
import { startAgentless } from './agentless'
import { startLocalAgent } from './local-agent'
import { LoginPrompts } from '../ssh/login-prompts'
import { parseProxyJump, type SavedHostLookup } from '../ssh/proxy-jump'
import { handshakeTimeoutMs, passwordKey, type SshEnvironment, SshConnection, type SshTarget } from '../ssh/connection'

export interface HostConfig {
  id: string
  name: string
  address: string
  port: number
  user: string
  identityFile?: string
  identitiesOnly?: boolean
  proxyJump?: string
  local?: boolean
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
}

/** Waits before reconnecting after a dropped link: doubles from the first to the last. */
const RETRY_FIRST_MS = 1_000
const RETRY_MAX_MS = 30_000
/** Failures worth retrying by themselves; others (a changed key, refused auth) need the user. */
const RETRYABLE = new Set(['UNREACHABLE', 'TIMEOUT'])
/** Install failures that agentless mode works around; network failures it cannot. */
const FALLBACK_CODES = new Set(['UNSUPPORTED', 'PERMISSION_DENIED', 'INTERNAL'])

/** Node's names for CPUs, in Docker's words (used when the engine cannot be asked). */
const NODE_TO_DOCKER_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armv7', ia32: '386', ppc64: 'ppc64le' }

export class HostLink {
  private view: HostView
  private peer: Peer | undefined
  private ssh: SshConnection | undefined
  private stopLocal: (() => void) | undefined
  private connecting: Promise<HostView> | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private retryMs = RETRY_FIRST_MS
  private readonly prompts = new LoginPrompts(
    () => this.view.name,
    (round) => this.update({ pendingPrompt: round }),
  )

  constructor(
    private current: HostConfig,
    private readonly deps: HostLinkDeps,
  ) {
    this.view = {
      id: current.id,
      name: current.name,
      local: current.local ?? false,
      address: current.address,
      port: current.port,
      user: current.user,
      state: 'disconnected',
      ...(current.identityFile ? { identityFile: current.identityFile } : {}),
      ...(current.identitiesOnly ? { identitiesOnly: true } : {}),
      ...(current.proxyJump ? { proxyJump: current.proxyJump } : {}),
    }
  }

  get config(): HostConfig {
    return this.current
  }

  /** New settings for this host; a live connection is closed so the next one uses them. */
  reconfigure(config: HostConfig): HostView {
    const { id, name, address, port, user, identityFile, identitiesOnly, proxyJump } = config
    const linkChanged =
      address !== this.current.address || port !== this.current.port || user !== this.current.user ||
      identityFile !== this.current.identityFile || proxyJump !== this.current.proxyJump ||
      Boolean(identitiesOnly) !== Boolean(this.current.identitiesOnly)
    this.current = config
    if (linkChanged) this.disconnect()
    this.update({ id, name, address, port, user, identityFile, identitiesOnly: identitiesOnly || undefined, proxyJump })
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
    this.update({ state: 'disconnected', error: undefined, pendingHostKey: undefined, pendingPassphrase: undefined, pendingPassword: undefined })
    return this.view
  }

  /** The user's answers to what the server asks mid-login (pendingPrompt). */
  answerPrompt(answers: string[]): HostView {
    this.prompts.answer(answers)
    return this.view
  }

  async request(method: AgentMethod, params: unknown): Promise<unknown> {
    return this.connectedPeer().request(method, params, { timeoutMs: agentMethods[method].timeoutMs })
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
      state: 'connecting',
      error: undefined,
      pendingHostKey: undefined,
      pendingPassphrase: undefined,
      pendingPassword: undefined,
      pendingPrompt: undefined,
      retryAt: undefined,
    })
    try {
      const started = this.config.local ? await this.startLocal() : await this.startRemote(options)
      const bundle = started.bundle
      const peer = new Peer(started.transport, { role: 'client', version: bundle.version, expectVersion: bundle.version })
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
        agentVersion: bundle.version,
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
      // the user gave up at the server's question: that is a disconnect, not a failure to show
      if (error.detail?.cancelled) {
        this.update({ state: 'disconnected', error: undefined })
        throw BerthError.fromValue(error)
      }
      this.update({
        state: 'error',
        error,
        pendingHostKey: pending,
        pendingPassphrase: typeof locked === 'string' ? { keyFile: locked } : undefined,
        pendingPassword: password ? { target: this.passwordTarget(), refused: Boolean(error.detail?.passwordRefused) } : undefined,
      })
      throw BerthError.fromValue(error)
    }
  }

  private async startLocal() {
    const bundle = await loadAgentBundle(this.deps.agentDir)
    const local = startLocalAgent(bundle.file, this.deps.processEnv)
    this.stopLocal = local.stop
    return { ...local, bundle }
  }

  private async startRemote(options: { trustFingerprint?: string }) {
    const target: SshTarget = { address: this.config.address, port: this.config.port, user: this.config.user }
    if (this.config.identityFile) target.identityFile = this.config.identityFile
    if (this.config.identitiesOnly) target.identitiesOnly = true
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
    this.update({ state: 'installing' })
    try {
      const platform = await probeHost(ssh, bundle)
      this.update({ arch: NODE_TO_DOCKER_ARCH[platform.nodeArch] ?? platform.nodeArch })
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
      if (!parsed.success) return
      if (event === 'engine.stateChanged') this.onEngineState(parsed.data as { available: boolean; message?: string })
      this.deps.emit(event, { ...parsed.data, hostId: this.config.id })
    })
    peer.on('close', (reason) => {
      if (this.peer !== peer) return
      this.teardown()
      this.update({ state: 'error', error: { code: 'UNREACHABLE', message: `lost the connection to ${this.view.name}: ${reason.message}` } })
      this.retryMs = RETRY_FIRST_MS
      this.scheduleRetry()
    })
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

  /** After a dropped link: try again with backoff until it works or needs the user. */
  private scheduleRetry(): void {
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
    this.update({ retryAt: Date.now() + delay })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      this.doConnect({}).catch((err: BerthError) => {
        if (RETRYABLE.has(err.code) && this.retryTimer === undefined) this.scheduleRetry()
      })
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
