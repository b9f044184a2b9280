/**
 * The core: everything behind the renderer's typed API, in plain Node. Both shells (Electron
 * IPC and the browser shell's WebSocket) hand it `invoke(method, params)` and relay its
 * events; it validates every call with the schema and answers with an envelope, never a throw.
 */
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { homedir, hostname } from 'node:os'
import { BerthError, type BerthErrorValue, toErrorValue } from '../../protocol/errors'
import { agentMethods, type HandlersFor, isAgentMethod, isLocalMethod, localMethods, type HostSettings, type HostView } from '../../protocol/schema'
import { parseOrThrow } from '../../protocol/validate'
import { HostStore } from './hosts/host-store'
import { type HostConfig, HostLink, type HostLinkDeps } from './hosts/host-link'
import { localEngineExists } from './hosts/local-agent'
import { passphraseOpens } from './ssh/auth'
import { sshTargetOf } from './ssh/target'
import { type SecretCipher, SecretStore } from './hosts/secret-store'
import { readSshConfig } from './ssh/config-import'
import { ImageBuilds } from './image-build'
import { ImageTransfers } from './image-transfers'
import { RegistryLogins } from './registry-logins'
import { Terminals } from './terminals'
import { type ClientId, DEFAULT_CLIENT, StatsSubscriptions } from './stats-subscriptions'
import { berthKnownHostsFile, userKnownHostsFile } from './paths'

export type Envelope = { ok: true; result: unknown } | { ok: false; error: BerthErrorValue }

export interface CoreOptions {
  dataDir: string
  agentDir: string
  env?: NodeJS.ProcessEnv
  homeDir?: string
  /** Connect saved hosts and the local host at start (the shells do; some tests do not). */
  autoConnect?: boolean
  /** The OS keychain (Electron's safeStorage); absent in the browser shell. */
  cipher?: SecretCipher
  /** Reaches hosts' agents without SSH (tests: in-memory pipes to fakes). */
  connectAgent?: HostLinkDeps['connectAgent']
}

export const LOCAL_HOST_ID = 'local'
const PASSPHRASE_PREFIX = 'passphrase:'

/** What main's handlers of agent methods get beside the params: the host named and who calls. */
interface AgentCall {
  hostId: string
  client: ClientId
}

/** Agent methods main answers itself or rewrites before forwarding; the rest go to the host as they came. */
type AgentOverrides = Partial<HandlersFor<typeof agentMethods, AgentCall>>

export class BerthCore {
  private readonly events = new EventEmitter()
  private readonly links = new Map<string, HostLink>()
  private readonly store: HostStore
  private readonly env: NodeJS.ProcessEnv
  /** Key passphrases: typed (memory only) or saved by choice (encrypted); never logged. */
  private readonly passphrases = new Map<string, string>()
  private readonly secrets: SecretStore
  private readonly registries: RegistryLogins
  /** Main's own methods; the window calling is handed beside the params (terminals keep credit per window). */
  private readonly localHandlers: HandlersFor<typeof localMethods, ClientId>
  private readonly agentOverrides: AgentOverrides
  /** Passwords the user typed, by user@address:port: memory only, never written or logged. */
  private readonly passwords = new Map<string, string>()
  private readonly emit = (event: string, payload: unknown): void => void this.events.emit('event', event, payload)
  private readonly terminals = new Terminals((hostId) => this.link(hostId), this.emit)
  private readonly transfers: ImageTransfers
  private readonly builds: ImageBuilds
  private readonly stats = new StatsSubscriptions((hostId) => this.link(hostId))

  constructor(private readonly options: CoreOptions) {
    this.env = options.env ?? process.env
    this.store = new HostStore(options.dataDir)
    this.secrets = new SecretStore(options.dataDir, options.cipher)
    this.registries = new RegistryLogins((hostId) => this.link(hostId), this.secrets, this.emit)
    this.transfers = new ImageTransfers((hostId) => this.link(hostId), this.emit, this.home)
    this.builds = new ImageBuilds((hostId) => this.link(hostId), this.emit, this.home)
    this.localHandlers = this.makeLocalHandlers()
    this.agentOverrides = this.makeAgentOverrides()
    this.events.setMaxListeners(100)
    this.events.on('event', (event: string, payload: unknown) => {
      if (event === 'host.stateChanged') {
        this.terminals.hostChanged(payload as HostView)
        this.stats.hostChanged(payload as HostView)
      } else if (event === 'host.removed') {
        this.terminals.hostRemoved((payload as { hostId: string }).hostId)
        this.stats.hostRemoved((payload as { hostId: string }).hostId)
      }
    })
  }

  async start(): Promise<void> {
    for (const [keyFile, passphrase] of await this.secrets.entries(PASSPHRASE_PREFIX)) this.passphrases.set(keyFile, passphrase)
    await this.registries.load()
    if (await localEngineExists(this.env)) {
      this.addLink({ id: LOCAL_HOST_ID, name: hostname(), address: 'localhost', port: 0, user: '', local: true })
    }
    for (const config of await this.store.load()) this.addLink(config)
    if (this.options.autoConnect ?? true) {
      for (const link of this.links.values()) link.connect().catch(() => {})
    }
  }

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.events.on('event', listener)
    return () => this.events.off('event', listener)
  }

  /** `client` is the window or browser tab calling: what it subscribes to ends when it goes. */
  async invoke(method: string, params: unknown, client: ClientId = DEFAULT_CLIENT): Promise<Envelope> {
    try {
      return { ok: true, result: await this.dispatch(method, params, client) }
    } catch (err) {
      return { ok: false, error: toErrorValue(err) }
    }
  }

  /** A window closed or reloaded, or a browser tab's WebSocket dropped. */
  async clientGone(client: ClientId): Promise<void> {
    this.terminals.clientGone(client)
    await this.stats.clientGone(client)
  }

  async close(): Promise<void> {
    for (const link of this.links.values()) link.disconnect()
  }

  private async dispatch(method: string, params: unknown, client: ClientId): Promise<unknown> {
    if (isAgentMethod(method)) {
      const { hostId, ...rest } = (params ?? {}) as { hostId?: unknown }
      if (typeof hostId !== 'string') throw new BerthError('INVALID_INPUT', `${method} needs a hostId`)
      const agentParams = parseOrThrow(agentMethods[method].params, rest, `parameters for ${method}`)
      const override = this.agentOverrides[method] as ((p: unknown, call: AgentCall) => Promise<unknown>) | undefined
      return override ? override(agentParams, { hostId, client }) : this.link(hostId).request(method, agentParams)
    }
    if (!isLocalMethod(method)) throw new BerthError('UNSUPPORTED', `there is no method ${method}`)
    const handler = this.localHandlers[method] as (p: unknown, client: ClientId) => Promise<unknown>
    return handler(parseOrThrow(localMethods[method].params, params, `parameters for ${method}`), client)
  }

  private makeAgentOverrides(): AgentOverrides {
    return {
      // a pull carries the login main keeps for that registry, and no other
      'images.pull': async (params, { hostId }) => this.link(hostId).request('images.pull', this.registries.pullParams(params)),
      // one agent subscription serves every window: counted per client here
      'stats.subscribe': async (params, { hostId, client }) => this.stats.subscribe(hostId, client, params),
      'stats.unsubscribe': async (_params, { hostId, client }) => this.stats.unsubscribe(hostId, client),
    }
  }

  private makeLocalHandlers(): HandlersFor<typeof localMethods, ClientId> {
    return {
      'hosts.list': async () => [...this.links.values()].map((link) => link.snapshot),
      'hosts.add': async (input) => this.addHost(input),
      'hosts.remove': async ({ hostId }) => this.removeHost(hostId),
      'hosts.connect': async ({ hostId }) => this.link(hostId).connect(),
      'hosts.disconnect': async ({ hostId }) => this.link(hostId).disconnect(),
      'hosts.trustKey': async ({ hostId, fingerprint }) => this.trustKey(hostId, fingerprint),
      'hosts.unlockKey': async ({ hostId, keyFile, passphrase, save }) => this.unlockKey(hostId, keyFile, passphrase, save ?? false),
      'app.capabilities': async () => ({ saveSecrets: this.secrets.available }),
      'hosts.update': async ({ hostId, host }) => this.updateHost(hostId, host),
      'hosts.reorder': async ({ hostIds }) => this.reorder(hostIds),
      'hosts.givePassword': async ({ hostId, password }) => {
        const link = this.link(hostId)
        if (!link.snapshot.pendingPassword) throw new BerthError('CONFLICT', `${link.config.name} is not asking for a password: connect again`)
        this.passwords.set(link.passwordTarget(), password)
        return link.connect()
      },
      'hosts.answerPrompt': async ({ hostId, answers }) => this.link(hostId).answerPrompt(answers),
      'hosts.sshConfig': async () => {
        const names = new Set([...this.links.values()].map((link) => link.config.name.toLowerCase()))
        return (await readSshConfig(this.home)).map((e) => ({ ...e, added: names.has(e.name.toLowerCase()) }))
      },
      'hosts.importSshConfig': async ({ names }) => this.importSshConfig(names),
      ...this.terminals.handlers,
      ...this.transfers.handlers,
      ...this.builds.handlers,
      ...this.registries.handlers,
    }
  }

  private get home(): string {
    return this.options.homeDir ?? homedir()
  }

  private link(hostId: string): HostLink {
    const link = this.links.get(hostId)
    if (!link) throw new BerthError('NOT_FOUND', `there is no host with id ${hostId}`)
    return link
  }

  private addLink(config: HostConfig): HostLink {
    const home = this.home
    const link = new HostLink(config, {
      ssh: {
        homeDir: home,
        knownHostsFiles: [userKnownHostsFile(home), berthKnownHostsFile(this.options.dataDir)],
        passphrases: this.passphrases,
        passwords: this.passwords,
        ...(this.env.SSH_AUTH_SOCK ? { agentSocket: this.env.SSH_AUTH_SOCK } : {}),
      },
      agentDir: this.options.agentDir,
      processEnv: this.env,
      emit: this.emit,
      forgetPassword: (target) => this.passwords.delete(target),
      ...(this.options.connectAgent ? { connectAgent: this.options.connectAgent } : {}),
      savedHost: (name) => {
        const found = [...this.links.values()].find((link) => !link.config.local && link.config.name === name)?.config
        return found && sshTargetOf(found)
      },
    })
    this.links.set(config.id, link)
    return link
  }

  private async addHost(input: HostSettings): Promise<HostView> {
    const duplicate = [...this.links.values()].find((link) => link.config.name.toLowerCase() === input.name.toLowerCase())
    if (duplicate) throw new BerthError('CONFLICT', `a host named ${input.name} already exists`)
    const config: HostConfig = { ...input, id: randomUUID().slice(0, 8) }
    const link = this.addLink(config)
    await this.persist()
    this.emit('host.stateChanged', link.snapshot)
    return link.snapshot
  }

  private async updateHost(hostId: string, input: HostSettings): Promise<HostView> {
    const link = this.link(hostId)
    if (link.config.local) throw new BerthError('INVALID_INPUT', 'this computer has no settings to change')
    const clash = [...this.links.values()].find((other) => other !== link && other.config.name.toLowerCase() === input.name.toLowerCase())
    if (clash) throw new BerthError('CONFLICT', `a host named ${input.name} already exists`)
    const view = link.reconfigure({ ...input, id: hostId })
    await this.persist()
    return view
  }

  /** Reorders by the ids given; hosts not named keep their place after them. */
  private async reorder(hostIds: string[]): Promise<HostView[]> {
    const unknown = hostIds.filter((id) => !this.links.has(id))
    if (unknown.length) throw new BerthError('NOT_FOUND', `there is no host with id ${unknown.join(', ')}`)
    const entries = [...this.links.entries()]
    const rank = (id: string) => (hostIds.includes(id) ? hostIds.indexOf(id) : hostIds.length)
    entries.sort(([a], [b]) => rank(a) - rank(b))
    this.links.clear()
    for (const [id, link] of entries) this.links.set(id, link)
    await this.persist()
    return entries.map(([, link]) => link.snapshot)
  }

  private async removeHost(hostId: string): Promise<Record<string, never>> {
    const link = this.link(hostId)
    if (link.config.local) throw new BerthError('INVALID_INPUT', 'this computer cannot be removed')
    link.disconnect()
    this.links.delete(hostId)
    await this.persist()
    this.emit('host.removed', { hostId })
    return {}
  }

  private async importSshConfig(names: string[]): Promise<HostView[]> {
    const entries = await readSshConfig(this.home)
    const missing = names.filter((n) => !entries.some((e) => e.name === n))
    if (missing.length) throw new BerthError('NOT_FOUND', `~/.ssh/config has no host ${missing.join(', ')}`)
    const added: HostView[] = []
    for (const entry of entries.filter((e) => names.includes(e.name))) {
      const input = parseOrThrow(localMethods['hosts.add'].params, entry, `host ${entry.name} from ~/.ssh/config`)
      added.push(await this.addHost(input))
    }
    return added
  }

  /** Checked here first, so a wrong passphrase is said plainly and nothing is sent. */
  private async unlockKey(hostId: string, keyFile: string, passphrase: string, save: boolean): Promise<HostView> {
    const link = this.link(hostId)
    if (link.snapshot.pendingPassphrase?.keyFile !== keyFile) {
      throw new BerthError('CONFLICT', `${link.config.name} is not waiting for the passphrase of ${keyFile}: connect again`)
    }
    if (!(await passphraseOpens(keyFile, passphrase))) {
      throw new BerthError('AUTH_FAILED', `that passphrase does not open ${keyFile}`)
    }
    // refused before it is used, so asking to save where nothing can be saved changes nothing
    if (save) await this.secrets.save(`${PASSPHRASE_PREFIX}${keyFile}`, passphrase)
    this.passphrases.set(keyFile, passphrase)
    return link.connect()
  }

  private async trustKey(hostId: string, fingerprint: string): Promise<HostView> {
    const link = this.link(hostId)
    const pending = link.snapshot.pendingHostKey
    if (!pending || pending.fingerprint !== fingerprint) {
      throw new BerthError('CONFLICT', `no unknown key with fingerprint ${fingerprint} is waiting for ${link.config.name}: connect again`)
    }
    return link.connect({ trustFingerprint: fingerprint })
  }

  private persist(): Promise<void> {
    return this.store.save([...this.links.values()].map((link) => link.config))
  }
}
