/**
 * The views of a connected host, one tab each. A domain adds its panel here; the panel gets
 * the host's id as its only prop.
 */
import type { Component } from 'vue'
import ContainerTable from '../containers/ContainerTable.vue'
import HostInfoPanel from '../system/HostInfoPanel.vue'
import ImagePanel from '../images/ImagePanel.vue'
import DiskPanel from '../system/DiskPanel.vue'
import NetworkPanel from '../networks/NetworkPanel.vue'
import VolumePanel from '../volumes/VolumePanel.vue'

export interface HostTab {
  id: string
  label: string
  panel: Component
}

export const hostTabs: HostTab[] = [
  { id: 'containers', label: 'Containers', panel: ContainerTable },
  { id: 'images', label: 'Images', panel: ImagePanel },
  { id: 'networks', label: 'Networks', panel: NetworkPanel },
  { id: 'volumes', label: 'Volumes', panel: VolumePanel },
  { id: 'disk', label: 'Disk', panel: DiskPanel },
  { id: 'host', label: 'Host', panel: HostInfoPanel },
]
