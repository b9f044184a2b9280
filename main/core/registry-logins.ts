/**
 * Registry logins: kept in memory, or saved encrypted by the OS keychain when asked (never in
 * clear, never logged), and handed to a host's engine only inside the one call that needs
 * them and only for the registry they belong to.
 */
import { parseImageReference } from '../../protocol/image-reference'
import { BerthError } from '../../protocol/errors'
import { type HandlersFor, registryAgentEvents, registryAgentMethods, type registryAuthMethods, type RegistryLogin } from '../../protocol/schema'
import type { HostLink } from './hosts/host-link'
import type { SecretStore } from './hosts/secret-store'

interface Login {
  username: string
  password: string
  saved: boolean
}

const PREFIX = 'registry:'

/** Docker Hub's login address is not its reference domain. */
const serverAddress = (domain: string): string => (domain === 'docker.io' ? 'https://index.docker.io/v1/' : domain)

export class RegistryLogins {
  private readonly logins = new Map<string, Login>()

  constructor(
    private readonly link: (hostId: string) => HostLink,
    private readonly secrets: SecretStore,
    private readonly emit: (event: string, payload: unknown) => void,
  ) {}

  async load(): Promise<void> {
    for (const [domain, json] of await this.secrets.entries(PREFIX)) {
      const { username, password } = JSON.parse(json) as { username: string; password: string }
      this.logins.set(domain, { username, password, saved: true })
    }
  }

  readonly handlers: HandlersFor<typeof registryAuthMethods> = {
    'registries.list': async () => [...this.logins.entries()].map(([domain, l]) => view(domain, l)),
    'registries.login': async ({ hostId, domain, username, password, save }) => {
      // refused before it is tested, so nothing is sent when it could not be kept as asked
      if (save && !this.secrets.available) {
        throw new BerthError('UNSUPPORTED', 'saving a login needs the OS keychain, which only the desktop app reaches; it can be kept until Berth quits')
      }
      const auth = { username, password, serveraddress: serverAddress(domain) }
      const checked = registryAgentMethods['registry.checkLogin'].result.parse(
        await this.link(hostId).connectedPeer().request('registry.checkLogin', { auth }, { timeoutMs: 60_000 }),
      )
      if (save) await this.secrets.save(`${PREFIX}${domain}`, JSON.stringify({ username, password }))
      else await this.secrets.forget(`${PREFIX}${domain}`)
      const login = { username, password, saved: Boolean(save) }
      this.logins.set(domain, login)
      return { ...view(domain, login), status: checked.status }
    },
    'registries.logout': async ({ domain }) => {
      this.logins.delete(domain)
      await this.secrets.forget(`${PREFIX}${domain}`)
      return {}
    },
    'images.push': async ({ hostId, pushId, reference }) => this.push(hostId, pushId, reference),
  }

  /** A pull's parameters with the login for its registry, whatever the window sent. */
  pullParams<P extends { reference: string; auth?: unknown }>(params: P): P {
    const { auth: _ignored, ...rest } = params
    const parsed = parseImageReference(params.reference)
    const login = parsed.ok ? this.logins.get(parsed.ref.domain) : undefined
    if (!parsed.ok || !login) return rest as P
    return { ...rest, auth: { username: login.username, password: login.password, serveraddress: serverAddress(parsed.ref.domain) } } as P
  }

  private async push(hostId: string, pushId: string, reference: string): Promise<{ reference: string; digest?: string }> {
    const parsed = parseImageReference(reference)
    if (!parsed.ok) throw new BerthError('INVALID_INPUT', parsed.message)
    const domain = parsed.ref.domain
    const login = this.logins.get(domain)
    const peer = this.link(hostId).connectedPeer()
    const onEvent = (event: string, payload: unknown): void => {
      if (event !== 'registry.pushProgress') return
      const p = registryAgentEvents['registry.pushProgress'].safeParse(payload)
      if (p.success && p.data.pushId === pushId) this.emit('push.progress', p.data)
    }
    peer.on('event', onEvent)
    try {
      const auth = login ? { auth: { username: login.username, password: login.password, serveraddress: serverAddress(domain) } } : {}
      const result = registryAgentMethods['registry.push'].result.parse(
        await peer.request('registry.push', { pushId, reference, ...auth }, { timeoutMs: registryAgentMethods['registry.push'].timeoutMs }),
      )
      return { reference, ...(result.digest ? { digest: result.digest } : {}) }
    } catch (err) {
      if (err instanceof BerthError && err.code === 'AUTH_FAILED' && !login) {
        throw new BerthError('AUTH_FAILED', `${domain} wants a login to push ${reference}: ${err.message}. Log in to ${domain} first.`)
      }
      throw err
    } finally {
      peer.off('event', onEvent)
    }
  }
}

function view(domain: string, login: Login): RegistryLogin {
  return { domain, username: login.username, saved: login.saved }
}
