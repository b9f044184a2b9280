/**
 * The keys a terminal keeps for itself rather than sending to the program. They carry Shift
 * (Ctrl+Shift+C, not Ctrl+C) because every plain Ctrl key means something to a shell; zoom
 * uses Ctrl with = - 0, as browsers and other terminals do.
 */
export type TerminalShortcut = 'copy' | 'paste' | 'search' | 'zoomIn' | 'zoomOut' | 'zoomReset'

type KeyFacts = Pick<KeyboardEvent, 'type' | 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>

export function shortcutOf(event: KeyFacts): TerminalShortcut | null {
  if (event.type !== 'keydown' || !event.ctrlKey || event.altKey || event.metaKey) return null
  if (event.shiftKey) {
    if (event.code === 'KeyC') return 'copy'
    if (event.code === 'KeyV') return 'paste'
    if (event.code === 'KeyF') return 'search'
    // Ctrl+Shift+= is how many keyboards type Ctrl++
    if (event.key === '+') return 'zoomIn'
    return null
  }
  if (event.key === '=' || event.key === '+') return 'zoomIn'
  if (event.key === '-') return 'zoomOut'
  if (event.key === '0') return 'zoomReset'
  return null
}

/** Whether a key event came from inside a terminal, where the app's own shortcuts stay out of the way. */
export function fromTerminal(event: Event): boolean {
  const target = event.target
  return target instanceof Element && target.closest('.xterm') !== null
}
