/**
 * Hosts as the core reports them. The core owns each host's state: this store only mirrors
 * `hosts.list`, the HostView that every host action returns, and `host.stateChanged` events,
 * and keeps what the UI alone knows (which host is selected, which action is in flight).
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { HostInput, HostView, SshConfigEntry } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { done, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'

export type HostAction = 'connect' | 'disconnect' | 'trustKey' | 'unlockKey'

export interface EngineStatus {
  available: boolean
  message?: string
}

export const useHostsStore = defineStore('hosts', () => {
  const api = useApi()

  const byId = ref<Record<string, HostView>>({})
  /** The core's order, so the sidebar does not reshuffle as states change. */
  const order = ref<string[]>([])
  const selectedId = ref<string | null>(null)
  const loading = ref(false)
  const loaded = ref(false)
  const loadError = ref<ErrorView | null>(null)
  const pending = ref<Record<string, HostAction | undefined>>({})
  /** Errors thrown by an action, shown when the HostView itself carries none. */
  const actionErrors = ref<Record<string, ErrorView | undefined>>({})
  const engines = ref<Record<string, EngineStatus | undefined>>({})
  /** The fingerprint the user declined, so the prompt stays closed until they connect again. */
  const declinedKeys = ref<Record<string, string | undefined>>({})
  /** Whether this shell can keep a secret encrypted by the OS keychain (the desktop app can). */
  const canSaveSecrets = ref(false)

  const list = computed(() => order.value.flatMap((id) => byId.value[id] ?? []))
  const selected = computed(() => (selectedId.value === null ? null : (byId.value[selectedId.value] ?? null)))

  // events that arrive while hosts.list is in flight are newer than its answer may be
  let eventsDuringLoad: HostView[] | null = null

  function upsert(view: HostView): void {
    if (!(view.id in byId.value)) order.value.push(view.id)
    byId.value[view.id] = view
    if (view.state === 'connecting' || view.state === 'installing' || view.state === 'connected') {
      actionErrors.value[view.id] = undefined
    }
    if (view.state !== 'connected') engines.value[view.id] = undefined
  }

  function select(id: string | null): void {
    selectedId.value = id
  }

  function selectDefault(): void {
    if (selectedId.value !== null && selectedId.value in byId.value) return
    const hosts = list.value
    selectedId.value = (hosts.find((h) => h.state === 'connected') ?? hosts[0])?.id ?? null
  }

  async function load(): Promise<void> {
    loading.value = true
    loadError.value = null
    eventsDuringLoad = []
    try {
      const views = await api.invoke('hosts.list', {})
      byId.value = Object.fromEntries(views.map((view) => [view.id, view]))
      order.value = views.map((view) => view.id)
      for (const view of eventsDuringLoad) upsert(view)
      loaded.value = true
      selectDefault()
    } catch (err) {
      loadError.value = toErrorView(err)
    } finally {
      eventsDuringLoad = null
      loading.value = false
    }
  }

  /** Adds the host, selects it and starts connecting; a refusal to add goes to the caller (the form). */
  async function add(input: HostInput): Promise<Outcome<HostView>> {
    const added = await outcomeOf(() => api.invoke('hosts.add', input))
    if (!added.ok) return added
    upsert(added.value)
    select(added.value.id)
    void connect(added.value.id)
    return added
  }

  async function update(hostId: string, input: HostInput): Promise<Outcome<HostView>> {
    const updated = await outcomeOf(() => api.invoke('hosts.update', { hostId, host: input }))
    if (updated.ok) upsert(updated.value)
    return updated
  }

  function forget(hostId: string): void {
    order.value = order.value.filter((id) => id !== hostId)
    delete byId.value[hostId]
    if (selectedId.value === hostId) selectDefault()
  }

  async function remove(hostId: string): Promise<Outcome> {
    const removed = await outcomeOf(() => api.invoke('hosts.remove', { hostId }))
    if (!removed.ok) return removed
    forget(hostId)
    return done
  }

  /** Moves a host up (-1) or down (+1) in the sidebar at once; the core keeps the order. */
  async function move(hostId: string, step: -1 | 1): Promise<Outcome> {
    const before = order.value
    const ids = [...before]
    const at = ids.indexOf(hostId)
    const to = at + step
    if (at < 0 || to < 0 || to >= ids.length) return done
    ;[ids[at], ids[to]] = [ids[to]!, ids[at]!]
    order.value = ids
    const saved = await outcomeOf(() => api.invoke('hosts.reorder', { hostIds: ids }))
    // refused: the sidebar goes back to the order the core still has
    order.value = saved.ok ? saved.value.map((v) => v.id) : before
    return saved.ok ? done : saved
  }

  /** The hosts ~/.ssh/config names, as ssh resolves them, each saying whether it was added already. */
  function sshConfig(): Promise<Outcome<SshConfigEntry[]>> {
    return outcomeOf(() => api.invoke('hosts.sshConfig', {}))
  }

  /** Asks the core what this shell can do; until it answers, nothing is offered that it may not. */
  async function askCapabilities(): Promise<Outcome> {
    const asked = await outcomeOf(() => api.invoke('app.capabilities', {}))
    if (!asked.ok) return asked
    canSaveSecrets.value = asked.value.saveSecrets
    return done
  }

  /** Adds the chosen ~/.ssh/config hosts without connecting: each may ask for its key. */
  async function importSshConfig(names: string[]): Promise<Outcome<HostView[]>> {
    const imported = await outcomeOf(() => api.invoke('hosts.importSshConfig', { names }))
    if (!imported.ok) return imported
    for (const view of imported.value) upsert(view)
    if (imported.value[0]) select(imported.value[0].id)
    return imported
  }

  /** A host action, pending while it runs (the host's buttons wait for it). */
  async function run(hostId: string, action: HostAction, call: () => Promise<HostView>): Promise<Outcome> {
    pending.value[hostId] = action
    const outcome = await mirror(hostId, call)
    pending.value[hostId] = undefined
    return outcome
  }

  /** Runs a call that answers with the host's new view and keeps it; a refusal is kept for the host's page (actionErrors). */
  async function mirror(hostId: string, call: () => Promise<HostView>): Promise<Outcome> {
    actionErrors.value[hostId] = undefined
    const outcome = await outcomeOf(call)
    if (!outcome.ok) {
      actionErrors.value[hostId] = outcome.error
      return outcome
    }
    upsert(outcome.value)
    return done
  }

  function connect(hostId: string): Promise<Outcome> {
    declinedKeys.value[hostId] = undefined
    return run(hostId, 'connect', () => api.invoke('hosts.connect', { hostId }))
  }

  function disconnect(hostId: string): Promise<Outcome> {
    return run(hostId, 'disconnect', () => api.invoke('hosts.disconnect', { hostId }))
  }

  function trustKey(hostId: string, fingerprint: string): Promise<Outcome> {
    return run(hostId, 'trustKey', () => api.invoke('hosts.trustKey', { hostId, fingerprint }))
  }

  /** The passphrase goes to the core once, which keeps it in memory only. */
  function unlockKey(hostId: string, keyFile: string, passphrase: string, save = false): Promise<Outcome> {
    return run(hostId, 'unlockKey', () => api.invoke('hosts.unlockKey', { hostId, keyFile, passphrase, ...(save ? { save } : {}) }))
  }

  function givePassword(hostId: string, password: string): Promise<Outcome> {
    return run(hostId, 'unlockKey', () => api.invoke('hosts.givePassword', { hostId, password }))
  }

  /**
   * Answers what the server asks mid-login. Not a run(): the connect that is waiting on the
   * answer is still the host's pending action, and says how the login ended.
   */
  function answerPrompt(hostId: string, answers: string[]): Promise<Outcome> {
    return mirror(hostId, () => api.invoke('hosts.answerPrompt', { hostId, answers }))
  }

  /** The user refused the key: close the prompt now and tell the core to drop the attempt. */
  function declineKey(hostId: string): Promise<Outcome> {
    declinedKeys.value[hostId] = byId.value[hostId]?.pendingHostKey?.fingerprint
    return disconnect(hostId)
  }

  // getters that take a host id are computed functions rather than plain ones, which pinia
  // would treat as actions (and createTestingPinia would stub)

  /** The unknown key to ask the user about, unless they already declined it. */
  const keyPromptFor = computed(() => (hostId: string): HostView['pendingHostKey'] => {
    const key = byId.value[hostId]?.pendingHostKey
    return key && declinedKeys.value[hostId] !== key.fingerprint ? key : undefined
  })

  /** The message to show when the host's engine is down ('' when the core gave none), or null. */
  const engineProblem = computed(() => (hostId: string): string | null => {
    const status = engines.value[hostId]
    if (status) return status.available ? null : (status.message ?? '')
    // no event seen yet (e.g. the page was reloaded): the HostView still says why
    const host = byId.value[hostId]
    if (host?.engineAvailable !== false) return null
    return host.error?.code === 'ENGINE_UNAVAILABLE' ? host.error.message : ''
  })

  const offRemoved = api.on('host.removed', ({ hostId }) => forget(hostId))
  const offHost = api.on('host.stateChanged', (view) => {
    eventsDuringLoad?.push(view)
    upsert(view)
  })
  const offEngine = api.on('engine.stateChanged', ({ hostId, available, message }) => {
    engines.value[hostId] = message === undefined ? { available } : { available, message }
    const host = byId.value[hostId]
    if (host) host.engineAvailable = available
  })
  onScopeDispose(() => {
    offHost()
    offRemoved()
    offEngine()
  })

  return {
    byId,
    order,
    selectedId,
    loading,
    loaded,
    loadError,
    pending,
    actionErrors,
    engines,
    declinedKeys,
    canSaveSecrets,
    list,
    selected,
    load,
    select,
    add,
    update,
    remove,
    move,
    sshConfig,
    importSshConfig,
    askCapabilities,
    connect,
    disconnect,
    trustKey,
    unlockKey,
    givePassword,
    answerPrompt,
    declineKey,
    keyPromptFor,
    engineProblem,
  }
})
