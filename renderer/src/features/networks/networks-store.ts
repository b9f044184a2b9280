/**
 * Networks per host: fetched when a panel asks, refetched after each change made here and
 * after the engine's network events.
 */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { z } from 'zod'
import type { NetworkCreate, networkConnectSchema, NetworkSummary } from '../../../../protocol/schema'
import { done, outcomeOf, type Outcome } from '../../api/outcome'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'

export const useNetworksStore = defineStore('networks', () => {
  const api = useApi()
  const { byHost, lists, fetch } = useHostList(api, {
    load: (hostId) => api.invoke('networks.list', { hostId }),
    refetchOn: { objects: ['network'] },
  })

  const networksOf = computed(() => (hostId: string): NetworkSummary[] => byHost.value[hostId] ?? [])

  async function change(hostId: string, run: () => Promise<unknown>): Promise<Outcome> {
    const changed = await outcomeOf(run)
    await fetch(hostId)
    return changed.ok ? done : changed
  }

  function create(hostId: string, params: NetworkCreate): Promise<Outcome> {
    return change(hostId, () => api.invoke('networks.create', { hostId, ...params }))
  }

  function remove(hostId: string, id: string): Promise<Outcome> {
    return change(hostId, () => api.invoke('networks.remove', { hostId, id }))
  }

  /** Attaches a container (docker network connect), optionally at a fixed address and with aliases. */
  function connect(hostId: string, params: z.input<typeof networkConnectSchema>): Promise<Outcome> {
    return change(hostId, () => api.invoke('networks.connect', { hostId, ...params }))
  }

  function disconnect(hostId: string, network: string, container: string): Promise<Outcome> {
    return change(hostId, () => api.invoke('networks.disconnect', { hostId, network, container }))
  }

  return { byHost, lists, networksOf, fetch, create, remove, connect, disconnect }
})
