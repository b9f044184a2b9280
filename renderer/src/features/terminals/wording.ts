/** What the terminals say to the user, in one place so the tab, the banner and the screen agree. */
import { DEFAULT_DETACH_KEYS, type TerminalInfo } from '../../../../protocol/schema'
import { humanSize } from '../../ui/units'

/** Docker's `ctrl-p,ctrl-q` as a keyboard shows it: `Ctrl-P Ctrl-Q`. */
export function detachKeysLabel(keys: string | undefined): string {
  return (keys || DEFAULT_DETACH_KEYS)
    .split(',')
    .filter((k) => k !== '')
    .map((k) => (k.startsWith('ctrl-') ? `Ctrl-${k.slice(5).toUpperCase()}` : k))
    .join(' ')
}

export function attachExplanation(keys: string | undefined): string {
  return (
    "Attached to the container's main process: exiting it (exit, Ctrl-D, Ctrl-C) stops the container. " +
    `Detach with ${detachKeysLabel(keys)} to leave it running.`
  )
}

/** A short state for the tab; empty while live. */
export function stateLabel(info: Pick<TerminalInfo, 'state' | 'exitCode'>): string {
  switch (info.state) {
    case 'reconnecting':
      return 'reconnecting'
    case 'exited':
      return info.exitCode === null || info.exitCode === undefined ? 'exited' : `exited ${info.exitCode}`
    case 'detached':
      return 'detached'
    case 'closed':
      return 'closed'
    default:
      return ''
  }
}

// dim, then back to normal: a note that cannot be mistaken for the program's own output
const dim = (text: string): string => `\r\n\x1b[2m${text}\x1b[22m\r\n`

/** Printed in the terminal where output was lost while the link was down. */
export function gapNote(bytes: number): string {
  return dim(`[… ${humanSize(bytes)} of output not kept while the link was down …]`)
}

/** Printed in the terminal when it ends, so the last screen says why it stopped. */
export function endNote(info: Pick<TerminalInfo, 'state' | 'exitCode' | 'message' | 'kind'>): string {
  if (info.state === 'exited') {
    const code = info.exitCode === null || info.exitCode === undefined ? 'an unknown code' : `code ${info.exitCode}`
    return dim(`[process exited with ${code}${info.message ? `: ${info.message}` : ''}]`)
  }
  if (info.state === 'detached') return dim('[detached: the container goes on running]')
  return ''
}

/** The tab's title: the terminal's own, or what is being opened, then the host's name. */
export function paneTitle(
  pane: { spec: { kind: string; container?: string }; info?: Pick<TerminalInfo, 'title'> },
  hostName: string,
): string {
  const own = pane.info?.title ?? (pane.spec.kind === 'host' ? 'shell' : `${pane.spec.container ?? ''} (${pane.spec.kind})`)
  return `${own} — ${hostName}`
}
