/**
 * The host's facts as its engine reports them (`docker info`, `docker version`), per host,
 * asked again when its containers or images change (the counts shown are theirs).
 */
import { defineStore } from 'pinia'
import type { EngineInfo } from '../../../../protocol/schema'
import { useApi } from '../../api/use-api'
import { useHostList } from '../../api/use-host-list'

export const useHostInfoStore = defineStore('host-info', () => {
  const api = useApi()
  const { byHost, lists: status, fetch } = useHostList<EngineInfo>(api, {
    load: (hostId) => api.invoke('engine.info', { hostId }),
    refetchOn: { containers: true, objects: ['image'] },
  })
  return { byHost, status, fetch }
})
