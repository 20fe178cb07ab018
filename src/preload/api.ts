// The client the preload exposes as window.api, kept free of Electron so it can be tested under Node:
// the shell passes in ipcRenderer and webUtils.getPathForFile. The page can invoke only the renderer
// channels; paths reach main only from File objects of a real drop, which the page cannot forge
// (Electron gives no path for a File built by script).
import {
  EVENT_CHANNELS,
  RENDERER_CHANNELS,
  type Api,
  type EventChannel,
  type Events,
  type InvokeChannel,
  type IpcResult,
} from '../shared/contract';

export interface PreloadBridge {
  invoke(channel: InvokeChannel, request: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to a main-process event; returns the unsubscribe. */
  subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void;
  /** webUtils.getPathForFile: '' for a File that is not on disk. */
  pathForFile(file: File): string;
}

const rendererChannels = new Set<string>(RENDERER_CHANNELS);
const eventChannels = new Set<string>(EVENT_CHANNELS);

export function createApi(bridge: PreloadBridge): Api {
  const call = async (channel: InvokeChannel, request: unknown) => {
    const result = await bridge.invoke(channel, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as never;
  };
  return {
    invoke(channel, request) {
      if (!rendererChannels.has(channel)) return Promise.reject(new Error(`unknown request "${String(channel)}"`));
      return call(channel, request);
    },
    on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void) {
      if (!eventChannels.has(event)) throw new Error(`unknown event "${String(event)}"`);
      return bridge.subscribe(event, listener as (payload: unknown) => void);
    },
    async addDropped(files) {
      const paths = Array.from(files, (file) => bridge.pathForFile(file)).filter((path) => path !== '');
      const unlocated = files.length - paths.length;
      if (paths.length === 0) return { queued: 0, unlocated };
      const { queued } = await call('scan:add-dropped', { paths });
      return { queued, unlocated };
    },
  };
}
