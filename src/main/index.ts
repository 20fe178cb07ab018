// Electron shell, kept thin: lifecycle, one locked-down window, and the app from app.ts behind IPC.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, shell } from 'electron';
import { createApp } from './app';
import { bindIpc } from './ipc/electron-ipc';
import { electronDialogs, safeStorageSecrets } from './ipc/electron-desktop';
import { ledgerPathIn, settingsPathIn } from './paths';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  devServerUrl ? `connect-src 'self' ${devServerUrl.replace(/^http/, 'ws')}` : "connect-src 'self'",
].join('; ');

function isOwnPage(url: string): boolean {
  if (devServerUrl) return url.startsWith(devServerUrl);
  return url.startsWith(pathToFileURL(rendererDir).href);
}

// better-sqlite3 built for Electron's ABI by scripts/electron-native.ts (the Node build stays for tests).
function nativeBinding(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Receipt Scanner',
    icon: join(app.getAppPath(), 'resources', 'icon.png'),
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // A dropped file must never replace the app; links open in the browser, nothing opens in-app.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(join(rendererDir, 'index.html'));
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

    const userData = app.getPath('userData');
    const receiptApp = await createApp({
      ledgerPath: ledgerPathIn(userData),
      settingsPath: settingsPathIn(userData),
      receiptStoreDir: join(userData, 'downloads'),
      dialogs: electronDialogs,
      secrets: safeStorageSecrets(join(userData, 'ocrspace-key.bin')),
      nativeBinding: nativeBinding(),
    });
    const unbind = bindIpc(receiptApp, isOwnPage);
    createWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
    let closing = false;
    app.on('before-quit', (event) => {
      if (closing) return;
      closing = true;
      event.preventDefault();
      unbind();
      // Unfinished jobs stay in the ledger and resume on the next start.
      void receiptApp.close().finally(() => app.quit());
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
