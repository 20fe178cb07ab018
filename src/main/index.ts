// Electron shell, kept thin: lifecycle, one locked-down window, and the app from app.ts behind IPC.
// What the window may load and open is decided in window-policy.ts and renderer-protocol.ts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, protocol, session, shell } from 'electron';
import { createApp } from './app';
import { bindIpc } from './ipc/electron-ipc';
import { electronDialogs, safeStorageSecrets } from './ipc/electron-desktop';
import { ledgerPathIn, settingsPathIn } from './paths';
import { contentSecurityPolicy, RENDERER_SCHEME, RENDERER_URL, serveRenderer } from './renderer-protocol';
import { opensInBrowser, ownPageMatcher } from './window-policy';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const CSP = contentSecurityPolicy(devServerUrl);
const isOwnPage = ownPageMatcher(devServerUrl);

// A standard, secure scheme gives the page a real origin (module scripts, CSP 'self') without file://'s
// extra powers; it must be registered before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

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
  void window.loadURL(devServerUrl ?? RENDERER_URL);
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

  // Every web contents, not only our window: no <webview>, no new windows (http(s) links open in the
  // browser), and no navigation away from our page (a dropped file must never replace the app).
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (opensInBrowser(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    const stayOnOwnPage = (event: Electron.Event, url: string) => {
      if (!isOwnPage(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayOnOwnPage);
    contents.on('will-redirect', stayOnOwnPage);
  });

  app.whenReady().then(async () => {
    protocol.handle(RENDERER_SCHEME, (request) => serveRenderer(rendererDir, request));
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    // The page needs no permission (camera, notifications, clipboard reads…): refuse asking and checking.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

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
