// A dry check of electron-builder's configuration for the PP-OCR engine (the app cannot be packaged on
// our CI machines, which cannot download Electron): for each target, the real files in node_modules
// that the engine loads are packaged and unpacked from asar, and other platforms' runtimes are left out.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { defaultModelFiles } from './models';

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  linux: { files?: string[] };
  win: { files?: string[] };
  mac: { files?: string[] };
}

const root = join(import.meta.dirname, '../../../..');
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

const runtimeFiles = walk(join(root, 'node_modules/onnxruntime-node/bin')).map((f) => relative(root, f));

/** electron-builder's rule: a file is left out when an exclusion pattern (with its macros expanded) matches it. */
function packaged(path: string, section: keyof Pick<BuilderConfig, 'linux' | 'win' | 'mac'>, arch: string): boolean {
  const patterns = [...config.files, ...(config[section].files ?? [])].map((p) => p.replaceAll('${arch}', arch));
  return !patterns.some((p) => p.startsWith('!') && minimatch(path, p.slice(1), { dot: true }));
}

const unpacked = (path: string): boolean => config.asarUnpack.some((p) => minimatch(path, p, { dot: true }));

const TARGETS = [
  { section: 'linux', os: 'linux', arch: 'x64' },
  { section: 'linux', os: 'linux', arch: 'arm64' },
  { section: 'win', os: 'win32', arch: 'x64' },
  { section: 'mac', os: 'darwin', arch: 'x64' },
  { section: 'mac', os: 'darwin', arch: 'arm64' },
] as const;

describe('electron-builder configuration for PP-OCR', () => {
  it.each(TARGETS)('packages only the $os/$arch ONNX Runtime, unpacked from asar', ({ section, os, arch }) => {
    const own = runtimeFiles.filter((f) => f.includes(`/napi-v6/${os}/${arch}/`));
    // onnxruntime-node 1.23 ships the binding and its library for every target we build (Intel Macs included).
    expect(own.some((f) => f.endsWith('onnxruntime_binding.node'))).toBe(true);
    expect(own.some((f) => /onnxruntime\.dll$|libonnxruntime\.so\.1$|libonnxruntime\.[\d.]+dylib$/.test(f))).toBe(true);
    for (const f of runtimeFiles) expect(packaged(f, section, arch), f).toBe(own.includes(f));
    for (const f of own) expect(unpacked(f), f).toBe(true);
  });

  it('unpacks the model files ONNX Runtime opens by path', () => {
    for (const file of Object.values(defaultModelFiles())) {
      const path = relative(root, file);
      expect(path).toMatch(/^node_modules\//);
      expect(unpacked(path), path).toBe(true);
      expect(packaged(path, 'linux', 'x64')).toBe(true);
    }
  });
});
