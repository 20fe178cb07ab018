// The only bridge between the sandboxed renderer and main: a typed client for the contract's channels.
// Raw ipcRenderer never reaches the page.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type Api,
  type EventChannel,
  type Events,
  type IpcResult,
} from '../shared/contract';

const invokeChannels = new Set<string>(INVOKE_CHANNELS);
const eventChannels = new Set<string>(EVENT_CHANNELS);

const api: Api = {
  async invoke(channel, request) {
    if (!invokeChannels.has(channel)) throw new Error(`unknown request "${String(channel)}"`);
    const result = (await ipcRenderer.invoke(channel, request)) as IpcResult<never>;
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  },
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void) {
    if (!eventChannels.has(event)) throw new Error(`unknown event "${String(event)}"`);
    const wrapped = (_: Electron.IpcRendererEvent, payload: Events[E]) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.off(event, wrapped);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('api', api);
