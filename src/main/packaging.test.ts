// A dry check of the Electron fuses in electron-builder.yml (the app cannot be packaged here, which
// cannot download Electron): electron-builder's own schema accepts the configuration, and its own code
// turns it into the fuse wire we mean. RunAsNode off breaks child_process.fork, so main must not fork.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { PlatformPackager, type Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util/out/DebugLogger';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;

describe('electron-builder fuses', () => {
  it("is a configuration electron-builder's schema accepts", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNodes: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('flips the fuses that keep the packaged app from running other code', async () => {
    // The method electron-builder calls right before it writes the fuses (it uses no instance state).
    const packager = PlatformPackager.prototype as unknown as {
      generateFuseConfig(fuses: Configuration['electronFuses']): Promise<Record<string | number, unknown>>;
    };
    expect(await packager.generateFuseConfig.call(undefined, config.electronFuses)).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: undefined,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('leaves nothing in main that needs ELECTRON_RUN_AS_NODE', () => {
    const sources = readdirSync(join(root, 'src/main'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.ts$/.test(f) && !/\.test\.ts$|testing\//.test(f),
    );
    expect(sources.length).toBeGreaterThan(20);
    for (const file of sources) {
      const text = readFileSync(join(root, 'src/main', file), 'utf8');
      expect(text, file).not.toMatch(/\bfork\(|ELECTRON_RUN_AS_NODE|process\.execPath/);
    }
  });
});
