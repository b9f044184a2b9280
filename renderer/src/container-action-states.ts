/** The states the engine accepts each container action in: the buttons follow them. */
import type { ContainerState } from '../../protocol/schema'
import type { ContainerAction } from './stores/containers'

export const LIVE: ContainerState[] = ['running', 'restarting', 'paused']
export const STOPPED: ContainerState[] = ['created', 'exited']

export const ACTION_STATES: Record<ContainerAction, ContainerState[]> = {
  start: STOPPED,
  stop: LIVE,
  restart: [...LIVE, ...STOPPED],
  pause: ['running'],
  unpause: ['paused'],
  kill: ['running', 'paused', 'restarting'],
  rename: [...LIVE, ...STOPPED, 'dead'],
  remove: [...LIVE, ...STOPPED, 'dead'],
}
