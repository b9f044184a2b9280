/**
 * Hosts as the core reports them. The core owns each host's state: this store only mirrors
 * `hosts.list`, the HostView that every host action returns, and `host.stateChanged` events,
 * and keeps what the UI alone knows (which host is selected, which action is in flight).
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { HostInput, HostView } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
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

  /** Adds the host, selects it and starts connecting; errors from adding reach the caller (the form). */
  async function add(input: HostInput): Promise<HostView> {
    const view = await api.invoke('hosts.add', input)
    upsert(view)
    select(view.id)
    void connect(view.id)
    return view
  }

  async function update(hostId: string, input: HostInput): Promise<HostView> {
    const view = await api.invoke('hosts.update', { hostId, host: input })
    upsert(view)
    return view
  }

  function forget(hostId: string): void {
    order.value = order.value.filter((id) => id !== hostId)
    delete byId.value[hostId]
    if (selectedId.value === hostId) selectDefault()
  }

  async function remove(hostId: string): Promise<void> {
    await api.invoke('hosts.remove', { hostId })
    forget(hostId)
  }

  /** Moves a host up (-1) or down (+1) in the sidebar; the core keeps the order. */
  async function move(hostId: string, step: -1 | 1): Promise<void> {
    const ids = [...order.value]
    const at = ids.indexOf(hostId)
    const to = at + step
    if (at < 0 || to < 0 || to >= ids.length) return
    ;[ids[at], ids[to]] = [ids[to]!, ids[at]!]
    order.value = ids
    const views = await api.invoke('hosts.reorder', { hostIds: ids })
    order.value = views.map((v) => v.id)
  }

  /** Adds the chosen ~/.ssh/config hosts without connecting: each may ask for its key. */
  async function importSshConfig(names: string[]): Promise<HostView[]> {
    const views = await api.invoke('hosts.importSshConfig', { names })
    for (const view of views) upsert(view)
    if (views[0]) select(views[0].id)
    return views
  }

  async function run(hostId: string, action: HostAction, call: () => Promise<HostView>): Promise<boolean> {
    pending.value[hostId] = action
    actionErrors.value[hostId] = undefined
    try {
      upsert(await call())
      return true
    } catch (err) {
      actionErrors.value[hostId] = toErrorView(err)
      return false
    } finally {
      pending.value[hostId] = undefined
    }
  }

  function connect(hostId: string): Promise<boolean> {
    declinedKeys.value[hostId] = undefined
    return run(hostId, 'connect', () => api.invoke('hosts.connect', { hostId }))
  }

  function disconnect(hostId: string): Promise<boolean> {
    return run(hostId, 'disconnect', () => api.invoke('hosts.disconnect', { hostId }))
  }

  function trustKey(hostId: string, fingerprint: string): Promise<boolean> {
    return run(hostId, 'trustKey', () => api.invoke('hosts.trustKey', { hostId, fingerprint }))
  }

  /** The passphrase goes to the core once, which keeps it in memory only. */
  function unlockKey(hostId: string, keyFile: string, passphrase: string, save = false): Promise<boolean> {
    return run(hostId, 'unlockKey', () => api.invoke('hosts.unlockKey', { hostId, keyFile, passphrase, ...(save ? { save } : {}) }))
  }

  function givePassword(hostId: string, password: string): Promise<boolean> {
    return run(hostId, 'unlockKey', () => api.invoke('hosts.givePassword', { hostId, password }))
  }

  /**
   * Answers what the server asks mid-login. Not a run(): the connect that is waiting on the
   * answer is still the host's pending action, and says how the login ended.
   */
  async function answerPrompt(hostId: string, answers: string[]): Promise<boolean> {
    actionErrors.value[hostId] = undefined
    try {
      upsert(await api.invoke('hosts.answerPrompt', { hostId, answers }))
      return true
    } catch (err) {
      actionErrors.value[hostId] = toErrorView(err)
      return false
    }
  }

  /** The user refused the key: close the prompt now and tell the core to drop the attempt. */
  function declineKey(hostId: string): Promise<boolean> {
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
    list,
    selected,
    load,
    select,
    add,
    update,
    remove,
    move,
    importSshConfig,
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
