// The only bridge between the sandboxed renderer and main: the typed client of api.ts over ipcRenderer.
// Raw ipcRenderer never reaches the page.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcResult } from '../shared/contract';
import { createApi } from './api';

const api = createApi({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request) as Promise<IpcResult<unknown>>,
  subscribe(event, listener) {
    const wrapped = (_: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.off(event, wrapped);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
});

contextBridge.exposeInMainWorld('api', api);
