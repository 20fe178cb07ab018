// The engine the queue holds for its whole life: it forwards to the engine the settings choose, so a
// settings change takes effect for the next file without rebuilding the queue. The cloud engine is only
// ever built when the user chose it and a key is stored: otherwise no request can be made. When PP-OCR
// cannot run on this computer at all, tesseract (WebAssembly, runs everywhere) reads instead, and each
// receipt read so says why.
import {
  EngineUnavailableError,
  withNotes,
  type OcrEngine,
  type OcrInput,
  type OcrOptions,
  type OcrResult,
  type Reading,
  type ReadOptions,
} from './engine';
import { createTesseractEngine } from './tesseract/tesseract';
import { createPaddleEngine, type PaddleEngineOptions } from './paddle/paddle-engine';
import { createOcrSpaceEngine } from './ocrspace';
import type { StoredSettings } from '../settings';
import { keyFor, type SecretStore } from '../secret-store';

export class EngineSwitch implements OcrEngine {
  private readonly local: Partial<Record<'paddle' | 'tesseract', OcrEngine>> = {};
  private cloud: { engine: OcrEngine; url: string; key: string } | undefined;
  private choice: StoredSettings['ocrEngine'] = 'paddle';
  private url = '';
  /** Why PP-OCR cannot run here, once it failed to start; tried again after a settings change. */
  private paddleProblem: string | null = null;

  constructor(private readonly options: { ocrWorkers: number; secrets: SecretStore; paddle?: PaddleEngineOptions }) {}

  get name(): string {
    return this.choice;
  }

  /** Why the chosen local engine cannot run on this computer (tesseract reads instead); null when it can. */
  get problem(): string | null {
    return this.choice === 'paddle' ? this.paddleProblem : null;
  }

  async configure(settings: Pick<StoredSettings, 'ocrEngine' | 'ocrSpaceUrl'>): Promise<void> {
    this.choice = settings.ocrEngine;
    this.url = settings.ocrSpaceUrl;
    this.paddleProblem = null;
    const stale = this.cloud;
    const allowed = keyFor(this.options.secrets, this.url);
    if (stale && (stale.url !== this.url || !('key' in allowed) || stale.key !== allowed.key || this.choice !== 'ocrspace')) {
      this.cloud = undefined;
      await stale.engine.close();
    }
  }

  read(input: OcrInput, options: ReadOptions): Promise<Reading> {
    return this.withFallback(
      (engine) => engine.read(input, options),
      (reading, note) => ({ ...reading, ocr: withNotes(reading.ocr, note) }),
    );
  }

  recognize(input: OcrInput, options?: OcrOptions): Promise<OcrResult> {
    return this.withFallback((engine) => engine.recognize(input, options), withNotes);
  }

  async close(): Promise<void> {
    await Promise.all([this.local.paddle?.close(), this.local.tesseract?.close(), this.cloud?.engine.close()]);
    delete this.local.paddle;
    delete this.local.tesseract;
    this.cloud = undefined;
  }

  /** Uses the chosen engine; PP-OCR that cannot run here is replaced by tesseract, and `mark` notes why. */
  private async withFallback<T>(use: (engine: OcrEngine) => Promise<T>, mark: (value: T, note: string) => T): Promise<T> {
    if (this.choice !== 'paddle') return use(this.current());
    let problem = this.paddleProblem;
    if (problem === null) {
      try {
        return await use(this.current());
      } catch (err) {
        if (!(err instanceof EngineUnavailableError)) throw err;
        // The engine stays: after a settings change it is asked again (its models load anew).
        problem = this.paddleProblem = err.message;
      }
    }
    return mark(await use(this.tesseract()), `${problem}; read with tesseract instead`);
  }

  private tesseract(): OcrEngine {
    return (this.local.tesseract ??= createTesseractEngine({ workers: this.options.ocrWorkers }));
  }

  private current(): OcrEngine {
    if (this.choice === 'paddle') return (this.local.paddle ??= createPaddleEngine(this.options.paddle));
    if (this.choice === 'tesseract') return this.tesseract();
    const allowed = keyFor(this.options.secrets, this.url);
    if ('problem' in allowed) throw new Error(allowed.problem);
    const { key } = allowed;
    this.cloud ??= { engine: createOcrSpaceEngine({ url: this.url, apiKey: key }), url: this.url, key };
    return this.cloud.engine;
  }
}
