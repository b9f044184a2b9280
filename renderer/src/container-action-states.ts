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
  // a dead container keeps its name until removed; renaming frees it (the engine allows it)
  rename: [...LIVE, ...STOPPED, 'dead'],
  // After a failed `docker rm -f` the engine's list keeps saying "removing" (Removal In
  // Progress) for a container that is in fact dead, until something else touches it: removing
  // again must stay possible. During a real removal the engine answers that it is in progress.
  remove: [...LIVE, ...STOPPED, 'dead', 'removing'],
}
