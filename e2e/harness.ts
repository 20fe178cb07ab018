// Runs the built renderer in headless Chromium against the REAL main-process handlers: window.api is
// defined as the preload defines it, but invoke goes through a Playwright binding to createApp's
// dispatch, and app events are re-dispatched into the page. The bindings sit in the page's world, so
// they keep the preload's rules themselves: the invoke binding takes only the renderer's channels, and
// a drop's paths are looked up on the Node side. Only the OS stand-ins are fake: dialogs return preset
// answers, and webUtils.getPathForFile is a registry of the files the test dropped, keyed by name (a
// synthetic drop carries no paths and a File cannot cross a binding): a File of any other name has no
// path, as a File built by script has none in Electron.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { createApp, memorySecrets, type App, type AppOptions } from '../src/main/app';
import type { KeyProtection } from '../src/shared/model';
import { EVENT_CHANNELS, RENDERER_CHANNELS } from '../src/shared/contract';
import type { Dialogs } from '../src/main/ipc/handlers';
import { serveStatic, type StaticServer } from './serve-static';

export const RENDERER_DIR = resolve(import.meta.dirname, '../out/renderer');
export const SCREENSHOT_DIR = resolve(import.meta.dirname, 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What the OS dialogs will answer next; tests set these before clicking. */
export interface DialogAnswers {
  pick: string[];
  savePath: string | null;
}

export interface Harness {
  page: Page;
  app: App;
  /** Temp folder for this run (ledger, receipts, exports). */
  dir: string;
  dialogs: DialogAnswers;
  /** Page errors and console errors seen so far (CSP violations show up here too). */
  problems: string[];
  /** Drops files/folders on the window as a person would: a real DragEvent with File objects. */
  drop(paths: string[]): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

// Runs in the page before any of its scripts: the same client the preload exposes, with the same
// channel checks.
function defineApi(channels: { invoke: readonly string[]; events: readonly string[] }) {
  const invokeChannels = new Set(channels.invoke);
  const eventChannels = new Set(channels.events);
  type Result = { ok: true; value: unknown } | { ok: false; error: { message: string } };
  const w = window as unknown as {
    __rsInvoke(channel: string, request: unknown): Promise<Result>;
    __rsAddDropped(names: string[]): Promise<Result & { unlocated?: number }>;
  };
  const call = async (result: Promise<Result>) => {
    const settled = await result;
    if (!settled.ok) throw new Error(settled.error.message);
    return settled.value;
  };
  const api = {
    async invoke(channel: string, request: unknown) {
      if (!invokeChannels.has(channel)) throw new Error(`unknown request "${channel}"`);
      return call(w.__rsInvoke(channel, request));
    },
    on(event: string, listener: (payload: unknown) => void) {
      if (!eventChannels.has(event)) throw new Error(`unknown event "${event}"`);
      const wrapped = (e: Event) => {
        const detail = (e as CustomEvent<{ event: string; payload: unknown }>).detail;
        if (detail.event === event) listener(detail.payload);
      };
      window.addEventListener('rs-event', wrapped);
      return () => window.removeEventListener('rs-event', wrapped);
    },
    addDropped: (files: File[]) => call(w.__rsAddDropped(Array.from(files, (file) => file.name))),
  };
  Object.defineProperty(window, 'api', { value: Object.freeze(api) });
}

export interface HarnessOptions {
  /** Stored through 'settings:set' before the window opens, as a person would have left them. */
  settings?: Record<string, unknown>;
  colorScheme?: 'light' | 'dark';
  /** How the stand-in key store says it protects the key (default: in memory, as the CLI keeps it). */
  keyProtection?: KeyProtection;
  viewport?: { width: number; height: number };
  /** The PP-OCR engine's options, e.g. model files that do not load. */
  paddle?: AppOptions['paddle'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`no built renderer in ${RENDERER_DIR}: run "npx electron-vite build" (npm run e2e does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'rs-e2e-'));
  const answers: DialogAnswers = { pick: [], savePath: null };
  const dialogs: Dialogs = {
    pickPaths: async () => answers.pick,
    saveCsvPath: async () => answers.savePath,
    saveBundlePath: async () => answers.savePath,
  };
  const app = await createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    settingsPath: join(dir, 'settings.json'),
    ocrWorkers: 1,
    paddle: options.paddle,
    dialogs,
    secrets: { ...memorySecrets(), protection: options.keyProtection ?? 'memory' },
  });
  if (options.settings) {
    const result = await app.dispatch('settings:set', options.settings);
    if (!result.ok) {
      await app.close();
      throw new Error(`settings: ${result.error.message}`);
    }
  }

  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await serveStatic(RENDERER_DIR);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    /** webUtils.getPathForFile's stand-in: the files the test dropped, by name. */
    const droppedPaths = new Map<string, string>();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const rendererChannels = new Set<string>(RENDERER_CHANNELS);
    await page.exposeBinding('__rsInvoke', (_source, channel: string, request: unknown) =>
      rendererChannels.has(channel)
        ? app.dispatch(channel, request)
        : { ok: false, error: { code: 'invalid_request', message: `unknown request "${String(channel)}"` } },
    );
    // The preload's addDropped: paths for the dropped files' names, then 'scan:add-dropped' with those.
    await page.exposeBinding('__rsAddDropped', async (_source, names: string[]) => {
      const paths = names.map((name) => droppedPaths.get(name) ?? '').filter((path) => path !== '');
      const unlocated = names.length - paths.length;
      if (paths.length === 0) return { ok: true, value: { queued: 0, unlocated } };
      const result = await app.dispatch('scan:add-dropped', { paths });
      return result.ok ? { ok: true, value: { queued: (result.value as { queued: number }).queued, unlocated } } : result;
    });
    await page.addInitScript(defineApi, { invoke: RENDERER_CHANNELS, events: EVENT_CHANNELS });

    // Events keep their order: each is delivered after the previous one.
    let delivery = Promise.resolve();
    const stopEvents = app.onEvent((event, payload) => {
      delivery = delivery
        .then(() =>
          page.evaluate(([e, p]) => window.dispatchEvent(new CustomEvent('rs-event', { detail: { event: e, payload: p } })), [
            event,
            payload,
          ] as const),
        )
        .then(
          () => undefined,
          () => undefined, // the page is closing
        );
    });

    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();

    const harness: Harness = {
      page,
      app,
      dir,
      dialogs: answers,
      problems,
      async drop(paths) {
        const names = paths.map((path) => {
          const name = path.split(/[\\/]/).pop() ?? path;
          droppedPaths.set(name, path);
          return name;
        });
        await page.evaluate((list) => {
          const data = new DataTransfer();
          for (const name of list) data.items.add(new File([], name));
          const target = document.querySelector('main') ?? document.body;
          for (const type of ['dragenter', 'dragover', 'drop']) {
            target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
          }
        }, names);
      },
      async screenshot(name) {
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
      },
      async close() {
        stopEvents();
        await browser?.close();
        await server?.close();
        await app.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return harness;
  } catch (error) {
    await browser?.close();
    await server?.close();
    await app.close();
    throw error;
  }
}
