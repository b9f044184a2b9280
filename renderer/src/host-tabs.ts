/**
 * The views of a connected host, one tab each. A domain adds its panel here; the panel gets
 * the host's id as its only prop.
 */
import type { Component } from 'vue'
import ContainerTable from './components/ContainerTable.vue'

export interface HostTab {
  id: string
  label: string
  panel: Component
}

export const hostTabs: HostTab[] = [
  { id: 'containers', label: 'Containers', panel: ContainerTable },
]
