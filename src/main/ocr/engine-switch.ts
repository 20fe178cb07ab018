// The engine the queue holds for its whole life: it forwards to the engine the settings choose, so a
// settings change takes effect for the next file without rebuilding the queue. The cloud engine is only
// ever built when the user chose it and a key is stored: otherwise no request can be made.
import type { OcrEngine, OcrInput, OcrOptions, OcrResult, Reading, ReadOptions } from './engine';
import { createTesseractEngine } from './tesseract/tesseract';
import { createPaddleEngine } from './paddle/paddle-engine';
import { createOcrSpaceEngine } from './ocrspace';
import type { StoredSettings } from '../settings';
import { keyFor, type SecretStore } from '../secret-store';

export class EngineSwitch implements OcrEngine {
  private readonly local: Partial<Record<'paddle' | 'tesseract', OcrEngine>> = {};
  private cloud: { engine: OcrEngine; url: string; key: string } | undefined;
  private choice: StoredSettings['ocrEngine'] = 'paddle';
  private url = '';

  constructor(private readonly options: { ocrWorkers: number; secrets: SecretStore }) {}

  get name(): string {
    return this.choice;
  }

  async configure(settings: Pick<StoredSettings, 'ocrEngine' | 'ocrSpaceUrl'>): Promise<void> {
    this.choice = settings.ocrEngine;
    this.url = settings.ocrSpaceUrl;
    const stale = this.cloud;
    const allowed = keyFor(this.options.secrets, this.url);
    if (stale && (stale.url !== this.url || !('key' in allowed) || stale.key !== allowed.key || this.choice !== 'ocrspace')) {
      this.cloud = undefined;
      await stale.engine.close();
    }
  }

  read(input: OcrInput, options: ReadOptions): Promise<Reading> {
    return this.current().read(input, options);
  }

  recognize(input: OcrInput, options?: OcrOptions): Promise<OcrResult> {
    return this.current().recognize(input, options);
  }

  async close(): Promise<void> {
    await Promise.all([this.local.paddle?.close(), this.local.tesseract?.close(), this.cloud?.engine.close()]);
    delete this.local.paddle;
    delete this.local.tesseract;
    this.cloud = undefined;
  }

  private current(): OcrEngine {
    if (this.choice === 'paddle') return (this.local.paddle ??= createPaddleEngine());
    if (this.choice === 'tesseract') {
      return (this.local.tesseract ??= createTesseractEngine({ workers: this.options.ocrWorkers }));
    }
    const allowed = keyFor(this.options.secrets, this.url);
    if ('problem' in allowed) throw new Error(allowed.problem);
    const { key } = allowed;
    this.cloud ??= { engine: createOcrSpaceEngine({ url: this.url, apiKey: key }), url: this.url, key };
    return this.cloud.engine;
  }
}
