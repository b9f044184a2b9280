/**
 * The Electron shell: one sandboxed window and an IPC bridge to the core. Thin on purpose:
 * everything else lives in main/core and runs under plain Node too.
 */
import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, safeStorage, session, type WebFrameMain } from 'electron'
import { BerthCore } from '../core/core'
import { CONTENT_SECURITY_POLICY } from '../core/csp'

const rendererUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(__dirname, '../renderer/index.html')

let window: BrowserWindow | undefined
/** The core's name for the window's page: a new one per page load (a reload starts afresh). */
let client = ''
let pageLoads = 0

/** Only our own page, in our own window's main frame, may call the core. */
function trustedSender(frame: WebFrameMain | null): boolean {
  if (!frame || !window || frame !== window.webContents.mainFrame) return false
  const url = new URL(frame.url)
  if (rendererUrl) return url.origin === new URL(rendererUrl).origin
  return url.protocol === 'file:' && decodeURIComponent(url.pathname) === rendererFile
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 760,
    title: 'Berth',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  if (rendererUrl) void win.loadURL(rendererUrl)
  else void win.loadFile(rendererFile)
  return win
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

void app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  // safeStorage: saved passphrases are encrypted by the OS keychain, never written in clear
  const core = new BerthCore({ dataDir: app.getPath('userData'), agentDir: join(__dirname, '../agent'), cipher: safeStorage })
  ipcMain.handle('berth:invoke', async (event, method: unknown, params: unknown) => {
    if (!trustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'PERMISSION_DENIED', message: 'this page may not call Berth' } }
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'INVALID_INPUT', message: 'method must be a string' } }
    // the core validates params against the schema before anything runs
    return core.invoke(method, params, client)
  })
  core.onEvent((event, payload) => window?.webContents.send('berth:event', event, payload))

  // a page that reloads, crashes or closes leaves: its stats subscriptions end with it
  const newPage = (): void => {
    if (client) void core.clientGone(client)
    client = `window-${++pageLoads}`
  }
  newPage()
  window = createWindow()
  window.webContents.on('did-start-loading', newPage)
  window.webContents.on('render-process-gone', newPage)
  window.on('closed', () => {
    window = undefined
    void core.clientGone(client)
  })
  await core.start()

  app.on('window-all-closed', () => {
    void core.close().then(() => app.quit())
  })
})
