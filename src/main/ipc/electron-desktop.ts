// Desktop-only services behind the app's ports: native dialogs, and the OCR.space key kept with
// safeStorage (never in plain text on disk, in the ledger or in logs). How well safeStorage protects it
// depends on the system (see key-protection.ts); Settings reports that.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BrowserWindow, dialog, safeStorage } from 'electron';
import type { Dialogs } from './handlers';
import type { SecretStore } from '../secret-store';
import { UserError } from '../user-error';
import { keyProtection } from '../key-protection';

const RECEIPT_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'bmp', 'gif', 'heic', 'heif', 'pdf'];

export const electronDialogs: Dialogs = {
  async pickPaths(kind) {
    const window = BrowserWindow.getFocusedWindow();
    const options: Electron.OpenDialogOptions =
      kind === 'folder'
        ? { title: 'Add folders of receipts', properties: ['openDirectory', 'multiSelections'] }
        : {
            title: 'Add receipts',
            properties: ['openFile', 'multiSelections'],
            filters: [{ name: 'Receipts', extensions: RECEIPT_EXTENSIONS }],
          };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  },
  saveCsvPath: (defaultName) =>
    savePath({ title: 'Export receipts as CSV', defaultPath: defaultName, filters: [{ name: 'CSV', extensions: ['csv'] }] }),
  saveBundlePath: (defaultName) =>
    savePath({ title: 'Export a bundle for your accountant', defaultPath: defaultName, filters: [{ name: 'ZIP', extensions: ['zip'] }] }),
};

async function savePath(options: Electron.SaveDialogOptions): Promise<string | null> {
  const window = BrowserWindow.getFocusedWindow();
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

export function safeStorageSecrets(file: string): SecretStore {
  return {
    get protection() {
      return keyProtection({
        platform: process.platform,
        encryptionAvailable: safeStorage.isEncryptionAvailable(),
        linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
      });
    },
    get() {
      if (!existsSync(file) || !safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(readFileSync(file));
      } catch {
        return null;
      }
    },
    set(value) {
      if (value === null) {
        rmSync(file, { force: true });
        return;
      }
      if (!safeStorage.isEncryptionAvailable()) {
        throw new UserError('this system has no secure key storage; set OCRSPACE_API_KEY for the command line instead');
      }
      writeFileSync(file, safeStorage.encryptString(value), { mode: 0o600 });
    },
  };
}
