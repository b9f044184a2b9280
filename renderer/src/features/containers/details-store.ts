/**
 * `docker inspect` of the containers whose details panel is open, kept current by the same
 * container.stateChanged events as the list (no polling): an event for an open container
 * inspects it again, at most one request in flight per container.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { ContainerDetails } from '../../../../protocol/schema'
import { toErrorView, type ErrorView } from '../../api/api-error'
import { useApi } from '../../api/use-api'

export interface DetailsStatus {
  loading: boolean
  data?: ContainerDetails
  error?: ErrorView
}

const key = (hostId: string, id: string) => `${hostId}/${id}`

export const useContainerDetailsStore = defineStore('container-details', () => {
  const api = useApi()
  const open = ref<Record<string, DetailsStatus>>({})
  // bookkeeping only: an inspect in flight, and whether another was asked for meanwhile
  const inFlight = new Map<string, boolean>()

  async function load(hostId: string, id: string): Promise<void> {
    const k = key(hostId, id)
    if (inFlight.has(k)) {
      inFlight.set(k, true)
      return
    }
    inFlight.set(k, false)
    const status = (open.value[k] ??= { loading: true })
    status.loading = true
    try {
      const data = await api.invoke('containers.inspect', { hostId, id })
      if (open.value[k]) open.value[k] = { loading: false, data }
    } catch (err) {
      if (open.value[k]) open.value[k] = { ...open.value[k], loading: false, error: toErrorView(err) }
    } finally {
      const again = inFlight.get(k)
      inFlight.delete(k)
      if (again && open.value[k]) void load(hostId, id)
    }
  }

  function show(hostId: string, id: string): Promise<void> {
    return load(hostId, id)
  }

  function close(hostId: string, id: string): void {
    delete open.value[key(hostId, id)]
  }

  /** A computed function: pinia's testing stubs would replace a plain one. */
  const of = computed(() => (hostId: string, id: string): DetailsStatus | undefined => open.value[key(hostId, id)])

  const off = api.on('container.stateChanged', ({ hostId, id, container }) => {
    const status = open.value[key(hostId, id)]
    if (!status) return
    // a removed container's panel closes with its row
    if (container === null) close(hostId, id)
    else void load(hostId, id)
  })
  onScopeDispose(off)

  return { open, show, close, of }
})
