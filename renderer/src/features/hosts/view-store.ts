/**
 * What the window shows, kept per host so switching hosts and back returns to the same view:
 * the selected tab of each host, and whether the "All hosts" view is open.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export const useViewStore = defineStore('view', () => {
  const tabByHost = ref<Record<string, string>>({})
  const allHosts = ref(false)
  const groupByArch = ref(false)

  function tabFor(hostId: string, fallback: string): string {
    return tabByHost.value[hostId] ?? fallback
  }

  function setTab(hostId: string, tab: string): void {
    tabByHost.value[hostId] = tab
  }

  return { tabByHost, allHosts, groupByArch, tabFor, setTab }
})
