// Where the app keeps its data. Mirrors Electron's app.getPath('userData') for our productName, so the
// CLI and the desktop app share one ledger by default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Receipt Scanner';

export function defaultUserDataDir(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), PRODUCT_NAME);
}

export function ledgerPathIn(userDataDir: string): string {
  return join(userDataDir, 'ledger.sqlite3');
}

export function settingsPathIn(userDataDir: string): string {
  return join(userDataDir, 'settings.json');
}
