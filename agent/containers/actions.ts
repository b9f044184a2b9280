/**
 * The container actions past start and stop: kill, restart, pause, unpause, rename, remove.
 *
 * The engine refuses an action that does not fit a container's state with 409 and a message
 * that names the container by its 64-character id. Such refusals are reworded here with the
 * container's name and what to do instead, from a fresh look at the container.
 */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { engineMessage } from '../engine/errors'

type Action = 'kill' | 'pause' | 'unpause' | 'remove'

interface EngineError {
  statusCode?: number
  json?: { message?: string } | null
  message?: string
}

function isConflict(err: unknown): err is EngineError {
  return (err as EngineError | undefined)?.statusCode === 409
}

/**
 * Why the engine refused `action` on a container now in `state`, in words that name it and
 * the way out; null when the state does not explain the refusal (the engine's error stands).
 */
export function refusalMessage(action: Action, name: string, state: string): string | null {
  switch (action) {
    case 'pause':
      if (state === 'running') return null
      if (state === 'paused') return `container ${name} is already paused`
      if (state === 'restarting') return `container ${name} is restarting: wait until it is running, then pause it`
      return `container ${name} is not running (it is ${state}): only a running container can be paused`
    case 'unpause':
      return state === 'paused' ? null : `container ${name} is not paused (it is ${state})`
    case 'kill':
      return state === 'running' || state === 'paused' ? null : `container ${name} is not running (it is ${state}): there is no process to signal`
    case 'remove':
      if (state === 'running' || state === 'paused' || state === 'restarting') {
        return `container ${name} is ${state}: stop it first, or remove it with force (docker rm -f)`
      }
      return null
  }
}

/** Engines answer such refusals with 409, some (20.10's unpause) with 500. */
const REFUSAL_STATUS = new Set([409, 500])

async function explain(container: Docker.Container, action: Action, err: unknown): Promise<never> {
  const status = (err as EngineError | undefined)?.statusCode
  if (status === undefined || !REFUSAL_STATUS.has(status)) throw err
  let message: string | null
  let state: string
  try {
    const info = await container.inspect()
    state = info.State.Status
    message = refusalMessage(action, info.Name.replace(/^\//, ''), state)
  } catch {
    throw err
  }
  if (message === null) throw err
  throw new BerthError('CONFLICT', message, { engineMessage: engineMessage(err as EngineError), state })
}

async function idOf(container: Docker.Container): Promise<{ id: string }> {
  return { id: (await container.inspect()).Id }
}

export async function killContainer(docker: Docker, ref: string, signal = 'SIGKILL'): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  await container.kill({ signal }).catch((err) => explain(container, 'kill', err))
  return idOf(container)
}

export async function restartContainer(docker: Docker, ref: string, timeoutSeconds?: number): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  await container.restart(timeoutSeconds === undefined ? {} : { t: timeoutSeconds })
  return idOf(container)
}

export async function pauseContainer(docker: Docker, ref: string): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  await container.pause().catch((err) => explain(container, 'pause', err))
  return idOf(container)
}

export async function unpauseContainer(docker: Docker, ref: string): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  await container.unpause().catch((err) => explain(container, 'unpause', err))
  return idOf(container)
}

export async function renameContainer(docker: Docker, ref: string, name: string): Promise<{ id: string; name: string }> {
  // after the rename the old name no longer finds it: keep the id
  const { id } = await idOf(docker.getContainer(ref))
  const container = docker.getContainer(id)
  try {
    await container.rename({ name })
  } catch (err) {
    if (isConflict(err)) {
      throw new BerthError('CONFLICT', `the name ${name} is already in use by another container: remove or rename that one first`, {
        engineMessage: engineMessage(err),
      })
    }
    throw err
  }
  const info = await container.inspect()
  return { id: info.Id, name: info.Name.replace(/^\//, '') }
}

export async function removeContainer(
  docker: Docker,
  ref: string,
  options: { force?: boolean; removeVolumes?: boolean },
): Promise<{ id: string }> {
  const container = docker.getContainer(ref)
  // the answer names the container by id; after removal there is nothing left to ask
  const { id } = await idOf(container)
  await container
    .remove({ force: options.force ?? false, v: options.removeVolumes ?? false })
    .catch((err) => explain(container, 'remove', err))
  return { id }
}
