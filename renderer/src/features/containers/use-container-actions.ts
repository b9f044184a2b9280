/**
 * A container's state actions as the row's buttons and its menu both offer them: the accessible
 * name, the docker command it equals (the tooltip), whether the engine accepts it in the
 * container's state and, when not, why.
 */
import { computed, type ComputedRef } from 'vue'
import type { ContainerSummary } from '../../../../protocol/schema'
import { ACTION_STATES, REFUSED_BECAUSE } from './action-states'
import { dockerCommand } from '../../ui/format'
import { useContainersStore, type ContainerAction } from './containers-store'

export interface ContainerActionItem {
  action: ContainerAction
  label: string
  /** The accessible name: `<label> <container>`, unique per row. */
  name: string
  /** The label while the engine works on it. */
  busy: string
  title: string
  enabled: boolean
  danger?: boolean
  run: () => void
}

/** docker kill's signals: KILL by default; TERM, INT, HUP... ask the process to act on it. */
export const KILL_SIGNALS = ['KILL', 'TERM', 'INT', 'HUP', 'QUIT', 'USR1', 'USR2']

export function useContainerActions(
  hostId: () => string,
  container: () => ContainerSummary,
  dialogs: { rename: () => void; remove: () => void },
): { items: ComputedRef<ContainerActionItem[]>; pending: ComputedRef<ContainerAction | undefined>; kill: (signal: string) => void } {
  const store = useContainersStore()
  const pending = computed(() => store.rows[hostId()]?.[container().id]?.pending)
  const kill = (signal: string) => void store.kill(hostId(), container().id, signal === 'KILL' ? undefined : signal)

  const items = computed((): ContainerActionItem[] => {
    const c = container()
    const h = hostId()
    const item = (action: ContainerAction, label: string, busy: string, run: () => void, name = `${label} ${c.name}`): ContainerActionItem => {
      const accepted = ACTION_STATES[action].includes(c.state)
      const command = dockerCommand(action, c.name)
      return {
        action,
        label,
        name,
        busy,
        run,
        enabled: accepted && pending.value === undefined,
        title: accepted ? command : `${command}: ${REFUSED_BECAUSE[action]}`,
        danger: action === 'kill' || action === 'remove',
      }
    }
    return [
      item('start', 'Start', 'Starting…', () => void store.start(h, c.id)),
      item('stop', 'Stop', 'Stopping…', () => void store.stop(h, c.id)),
      // accessible-name lookups match substrings (Playwright's getByRole does): "Restart web" would
      // also be found for "Start web", so this one says "container" to keep "Start web" unique
      item('restart', 'Restart', 'Restarting…', () => void store.restart(h, c.id), `Restart container ${c.name}`),
      c.state === 'paused'
        ? item('unpause', 'Unpause', 'Unpausing…', () => void store.unpause(h, c.id))
        : item('pause', 'Pause', 'Pausing…', () => void store.pause(h, c.id)),
      item('kill', 'Kill', 'Killing…', () => kill('KILL')),
      item('rename', 'Rename', 'Renaming…', dialogs.rename),
      item('remove', 'Remove', 'Removing…', dialogs.remove),
    ]
  })
  return { items, pending, kill }
}
