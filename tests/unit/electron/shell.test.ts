/* eslint-disable @typescript-eslint/no-explicit-any -- a loose stand-in for Electron's wide API */
/**
 * The Electron shell's security settings, with a stand-in for the `electron` module (its
 * binary cannot be downloaded here). What is checked is what Electron would be told.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { BerthCore } from '../../../main/core/core'

type Handler = (event: unknown, ...args: unknown[]) => unknown
const state = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, any>; webContents: Record<string, any>; loaded?: string; listeners: Map<string, () => void> }>,
  handlers: new Map<string, Handler>(),
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  headerHook: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
  permissionHook: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
}))

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, any>
    listeners = new Map<string, () => void>()
    constructor(public options: Record<string, any>) {
      const pageListeners = new Map<string, () => void>()
      this.webContents = { mainFrame: { url: '' }, send: vi.fn(), listeners: pageListeners, on: (n: string, fn: () => void) => pageListeners.set(n, fn) }
      state.windows.push(this as never)
    }
    loadFile(file: string) {
      ;(this as never as { loaded: string }).loaded = file
      this.webContents.mainFrame.url = `file://${file}`
      return Promise.resolve()
    }
    loadURL(url: string) {
      return this.loadFile(url)
    }
    on(name: string, fn: () => void) {
      this.listeners.set(name, fn)
    }
  }
  return {
    app: {
      on: (name: string, fn: (...args: unknown[]) => void) => state.appListeners.set(name, fn),
      whenReady: () => Promise.resolve(),
      getPath: () => mkdtempSync(join(tmpdir(), 'berth-electron-')),
      quit: vi.fn(),
    },
    BrowserWindow,
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    ipcMain: { handle: (channel: string, fn: Handler) => state.handlers.set(channel, fn) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: never) => (state.headerHook = fn) },
        setPermissionRequestHandler: (fn: never) => (state.permissionHook = fn),
      },
    },
  }
})

beforeAll(async () => {
  process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock'
  await import('../../../main/electron/index')
  await vi.waitFor(() => expect(state.windows.length).toBe(1))
})

describe('the Electron shell', () => {
  it('opens the window isolated and sandboxed, with the preload as the only bridge', () => {
    const prefs = state.windows[0]!.options.webPreferences
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(prefs.preload).toMatch(/preload\/index\.cjs$/)
  })

  it('sends a strict CSP with every response and grants no permissions', () => {
    let headers: Record<string, string[]> = {}
    state.headerHook!({ responseHeaders: {} }, (r) => (headers = (r as { responseHeaders: typeof headers }).responseHeaders))
    const csp = headers['Content-Security-Policy']![0]!
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain('unsafe-eval')
    let granted: boolean | undefined
    state.permissionHook!({}, 'media', (ok) => (granted = ok))
    expect(granted).toBe(false)
  })

  it('blocks navigation, new windows and webviews in every web contents', () => {
    const hooks = new Map<string, (...a: unknown[]) => unknown>()
    let openHandler: (() => unknown) | undefined
    const contents = { setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn), on: (n: string, fn: never) => hooks.set(n, fn) }
    state.appListeners.get('web-contents-created')!({}, contents)
    expect(openHandler!()).toEqual({ action: 'deny' })
    for (const name of ['will-navigate', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      hooks.get(name)!(event, 'https://example.com/')
      expect(event.preventDefault, name).toHaveBeenCalled()
    }
  })

  it('answers calls from its own page and refuses other frames', async () => {
    const invoke = state.handlers.get('berth:invoke')!
    const own = state.windows[0]!.webContents.mainFrame
    expect(await invoke({ senderFrame: own }, 'hosts.list', {})).toEqual({ ok: true, result: [] })
    const stranger = { url: 'https://evil.example/' }
    expect(await invoke({ senderFrame: stranger }, 'hosts.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect(await invoke({ senderFrame: own }, 42, {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await invoke({ senderFrame: own }, 'hosts.add', { name: 'x', address: 'a b', user: 'u' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
  })

  it('tells the core when its page reloads or the window closes, so the stats that page asked for end', async () => {
    const gone = vi.spyOn(BerthCore.prototype, 'clientGone')
    const invoke = vi.spyOn(BerthCore.prototype, 'invoke')
    const win = state.windows[0]!
    const handler = state.handlers.get('berth:invoke')!
    await handler({ senderFrame: win.webContents.mainFrame }, 'hosts.list', {})
    const first = invoke.mock.calls.at(-1)![2]
    win.webContents.listeners.get('did-start-loading')!()
    expect(gone).toHaveBeenLastCalledWith(first)
    await handler({ senderFrame: win.webContents.mainFrame }, 'hosts.list', {})
    const second = invoke.mock.calls.at(-1)![2]
    expect(second).not.toBe(first)
    win.listeners.get('closed')!()
    expect(gone).toHaveBeenLastCalledWith(second)
  })
})
