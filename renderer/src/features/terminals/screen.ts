/**
 * One xterm.js terminal with its addons: fit (the pane's size in cells), search over the
 * scrollback, clickable links, Unicode 11 widths (wide characters and emoji take two cells),
 * and the keys a terminal keeps for itself (copy, paste, search, zoom). A Screen outlives its
 * pane's component: a split moves the pane in the page, and the scrollback must move with it.
 */
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { Terminal } from '@xterm/xterm'
import { shortcutOf, type TerminalShortcut } from './keys'
import type { PaneSink } from './pane-output'

/** The program hears of a new size this long after the pane stops changing (a drag resizes many times). */
export const RESIZE_DEBOUNCE_MS = 100
const SCROLLBACK_LINES = 10_000

export interface ScreenEvents {
  data(data: string): void
  resize(cols: number, rows: number): void
  bell(): void
  shortcut(which: Exclude<TerminalShortcut, 'copy' | 'paste'>): void
  focus(): void
}

export class Screen implements PaneSink {
  readonly term: Terminal
  private readonly fitAddon = new FitAddon()
  readonly search = new SearchAddon()
  private resizeTimer: ReturnType<typeof setTimeout> | undefined
  private events: ScreenEvents | undefined

  constructor(fontSize: number) {
    this.term = new Terminal({
      fontSize,
      fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
      scrollback: SCROLLBACK_LINES,
      cursorBlink: true,
      // the unicode11 addon uses the proposed Unicode API
      allowProposedApi: true,
      theme: { background: '#1e1e1e', foreground: '#d4d4d4', selectionBackground: '#264f78' },
    })
    this.term.loadAddon(this.fitAddon)
    this.term.loadAddon(this.search)
    this.term.loadAddon(new Unicode11Addon())
    this.term.unicode.activeVersion = '11'
    this.term.loadAddon(new WebLinksAddon((event, uri) => {
      event.preventDefault()
      window.open(uri, '_blank', 'noopener,noreferrer')
    }))
    this.term.attachCustomKeyEventHandler((event) => this.onKey(event))
    this.term.onData((data) => this.events?.data(data))
    this.term.onBell(() => this.events?.bell())
    this.term.onResize(({ cols, rows }) => {
      clearTimeout(this.resizeTimer)
      this.resizeTimer = setTimeout(() => this.events?.resize(cols, rows), RESIZE_DEBOUNCE_MS)
    })
    // copy on select, as X terminals do; Ctrl+Shift+C copies too
    this.term.onSelectionChange(() => {
      if (this.term.hasSelection()) void this.copy()
    })
  }

  /** Where the screen reports to: the pane component showing it now. */
  listen(events: ScreenEvents | undefined): void {
    this.events = events
  }

  /** Shows the screen in `parent`; moves it there when it was shown elsewhere. */
  mount(parent: HTMLElement): void {
    const element = this.term.element
    if (element) {
      if (element.parentElement !== parent) parent.appendChild(element)
    } else {
      this.term.open(parent)
      this.term.textarea?.addEventListener('focus', () => this.events?.focus())
    }
  }

  /** Fits the screen to its pane; undefined while the pane is hidden (it has no size). */
  fit(): { cols: number; rows: number } | undefined {
    const size = this.fitAddon.proposeDimensions()
    if (!size || !Number.isFinite(size.cols) || !Number.isFinite(size.rows) || size.cols < 2 || size.rows < 1) return undefined
    if (size.cols !== this.term.cols || size.rows !== this.term.rows) this.term.resize(size.cols, size.rows)
    return size
  }

  write(data: string, drawn: () => void): void {
    this.term.write(data, drawn)
  }

  setFontSize(px: number): void {
    if (this.term.options.fontSize !== px) this.term.options.fontSize = px
  }

  /** A non-tty attach prints bare \n: the screen must return the carriage itself. */
  setConvertEol(on: boolean): void {
    if (this.term.options.convertEol !== on) this.term.options.convertEol = on
  }

  async copy(): Promise<void> {
    const text = this.term.getSelection()
    if (!text) return
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      // the clipboard API may be refused (Electron denies permissions): xterm answers the copy command itself
      this.term.focus()
      document.execCommand('copy')
    }
  }

  async paste(): Promise<void> {
    try {
      const text = await navigator.clipboard.readText()
      if (text) this.term.paste(text)
    } catch {
      // refused: the paste command reaches xterm's own paste handling, where the shell allows it
      this.term.focus()
      document.execCommand('paste')
    }
  }

  focus(): void {
    this.term.focus()
  }

  dispose(): void {
    clearTimeout(this.resizeTimer)
    this.events = undefined
    this.term.dispose()
  }

  private onKey(event: KeyboardEvent): boolean {
    const which = shortcutOf(event)
    if (which === null) return true
    event.preventDefault()
    if (which === 'copy') void this.copy()
    else if (which === 'paste') void this.paste()
    else this.events?.shortcut(which)
    return false
  }
}

const screens = new Map<string, Screen>()

/** The pane's screen, made on first use and kept until the pane closes. */
export function screenFor(paneId: string, fontSize: number): Screen {
  let screen = screens.get(paneId)
  if (!screen) screens.set(paneId, (screen = new Screen(fontSize)))
  return screen
}

export function disposeScreen(paneId: string): void {
  screens.get(paneId)?.dispose()
  screens.delete(paneId)
}
