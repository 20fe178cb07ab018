// The engine switch with PP-OCR that cannot start (its detection model is missing, as a runtime that
// does not load would leave it): a real generated receipt is read by tesseract instead, the reading
// says why, and PP-OCR is asked again after the settings change.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySecrets } from '../app';
import { extractFields } from '../extract/extract';
import { writeReceiptImage } from '../testing/receipt-image';
import { EngineSwitch } from './engine-switch';
import { defaultModelFiles } from './paddle/models';
import { preparedInput } from './prepare';

let dir: string;
let engine: EngineSwitch;
const extract = (ocr: Parameters<typeof extractFields>[0]) => extractFields(ocr, { dateOrder: 'DMY', defaultCurrency: 'EUR' });
const settings = { ocrEngine: 'paddle' as const, ocrSpaceUrl: 'https://api.ocr.space/parse/image' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-switch-'));
  await writeReceiptImage(join(dir, 'cafe.png'), ['CAFE LUMEN', 'Date: 14/03/2024', 'Latte 4.50', 'TOTAL 8.32']);
  engine = new EngineSwitch({
    ocrWorkers: 1,
    secrets: memorySecrets(),
    paddle: { threads: 1, models: { ...defaultModelFiles(), detection: join(dir, 'missing.onnx') } },
  });
  await engine.configure(settings);
});

afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

const input = () => preparedInput({ path: join(dir, 'cafe.png'), mime: 'image/png', size: 1 });

describe('EngineSwitch when PP-OCR cannot run on this computer', () => {
  it('reads the receipt with tesseract and says why on the reading', async () => {
    expect(engine.problem).toBeNull();
    const reading = await engine.read(input(), { extract });
    expect(reading.ocr.engine).toBe('tesseract');
    expect(reading.fields).toMatchObject({ merchant: 'CAFE LUMEN', date: '2024-03-14', totalMinor: 832 });
    expect(reading.ocr.notes).toContainEqual(
      expect.stringMatching(/^PaddleOCR could not start: its models did not load \(.*missing\.onnx.*\); read with tesseract instead$/),
    );
    expect(engine.problem).toMatch(/^PaddleOCR could not start: its models did not load/);
  });

  it('goes straight to tesseract for the next file, pages read on their own too', async () => {
    const ocr = await engine.recognize(input());
    expect(ocr.engine).toBe('tesseract');
    expect(ocr.notes).toContainEqual(expect.stringMatching(/read with tesseract instead$/));
  });

  it('asks PP-OCR again after a settings change, and says nothing for tesseract chosen by the person', async () => {
    await engine.configure(settings);
    expect(engine.problem).toBeNull();
    await engine.configure({ ...settings, ocrEngine: 'tesseract' });
    const reading = await engine.read(input(), { extract });
    expect(reading.ocr.notes ?? []).not.toContainEqual(expect.stringMatching(/PP-OCR/));
    expect(engine.problem).toBeNull();
  });
});
