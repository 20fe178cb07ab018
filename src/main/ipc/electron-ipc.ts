// Binds the contract to ipcMain: every request must come from one of our own pages, and goes through
// the same validating dispatch as the CLI and the tests. Events go to every window.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS } from '../../shared/contract';
import type { App } from '../app';

export function bindIpc(app: App, isTrustedUrl: (url: string) => boolean): () => void {
  const trusted = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isTrustedUrl(frame.url);
  };
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!trusted(event)) {
        return { ok: false, error: { code: 'invalid_request', message: 'request from an untrusted page' } };
      }
      return app.dispatch(channel, request);
    });
  }
  const unsubscribe = app.onEvent((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(event, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
