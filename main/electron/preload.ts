/**
 * The only bridge between the sandboxed page and the app: `invoke` and `on`, never raw
 * ipcRenderer. Main checks the sender and validates every call.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

contextBridge.exposeInMainWorld('berthBridge', {
  invoke: (method: string, params: unknown): Promise<unknown> => ipcRenderer.invoke('berth:invoke', method, params),
  on: (event: string, listener: (payload: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on('berth:event', handler)
    return () => ipcRenderer.off('berth:event', handler)
  },
})
