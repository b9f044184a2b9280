/** Every route of the fake engine, by area. */
import type { FakeEngine } from '../server'
import { archiveRoutes } from './archive'
import { containerIoRoutes } from './container-io'
import { containerRoutes } from './containers'
import { imageStreamRoutes } from './image-streams'
import { imageRoutes } from './images'
import { networkRoutes, volumeRoutes } from './networks-volumes'
import { systemRoutes } from './system'
import { terminalRoutes } from './terminals'

export function registerRoutes(engine: FakeEngine): void {
  for (const routes of [systemRoutes, containerRoutes, containerIoRoutes, archiveRoutes, terminalRoutes, imageRoutes, imageStreamRoutes, networkRoutes, volumeRoutes]) {
    routes(engine)
  }
}
