/** The states the engine accepts each container action in: the buttons follow them. */
import type { ContainerState } from '../../../../protocol/schema'
import type { ContainerAction } from './containers-store'

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

/** Why the engine refuses an action outside its states, said where the action is offered. */
export const REFUSED_BECAUSE: Record<ContainerAction, string> = {
  start: 'only a created or exited container can be started',
  stop: 'only a running, restarting or paused container can be stopped',
  restart: 'a dead container, or one being removed, cannot be restarted',
  pause: 'only a running container can be paused',
  unpause: 'only a paused container can be unpaused',
  kill: 'only a running, restarting or paused container can be killed',
  rename: 'a container being removed cannot be renamed',
  remove: 'the engine is removing this container',
}

/**
 * The row's own buttons: what a container in this state is most often asked to do. The rest
 * sits in the row's menu, so that a row stays one line and cheap to draw at thousands of rows.
 */
export const PRIMARY_ACTIONS: Record<ContainerState, ContainerAction[]> = {
  running: ['stop'],
  restarting: ['stop'],
  paused: ['unpause'],
  created: ['start'],
  exited: ['start'],
  dead: ['remove'],
  removing: ['remove'],
}
