import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReceiptImage } from '../../testing/receipt-image';
import { BEST_CLASS, BEST_PROBABILITY, withBestClassOutputs } from './best-class';
import { defaultModelFiles } from './models';
import { lineTensor, REC_HEIGHT } from './recognize';

const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3 };
const sessions: ort.InferenceSession[] = [];
afterAll(() => Promise.all(sessions.map((s) => s.release())));

describe('withBestClassOutputs', () => {
  it("hands back each step's most likely class and its probability, as a scan of every class finds them", async () => {
    const packaged = readFileSync(defaultModelFiles().recognition);
    const [full, reduced] = await Promise.all(
      [packaged, withBestClassOutputs(packaged)].map(async (model) => {
        const session = await ort.InferenceSession.create(model, options);
        sessions.push(session);
        return session;
      }),
    );
    // A printed line, as the engine cuts one out: 48 px tall.
    const png = await renderReceiptImage(['TOTAL 12.50'], { width: 320, fontSize: 32 });
    const { data, info } = await sharp(png).greyscale().resize({ height: REC_HEIGHT }).raw().toBuffer({ resolveWithObject: true });
    const line = { data, width: info.width, height: REC_HEIGHT };
    const x = new ort.Tensor('float32', lineTensor([line, line], info.width), [2, 3, REC_HEIGHT, info.width]);
    const [a, b] = await Promise.all([full.run({ [full.inputNames[0]!]: x }), reduced.run({ [reduced.inputNames[0]!]: x })]);

    expect(reduced.outputNames).toEqual([BEST_CLASS, BEST_PROBABILITY]);
    const probabilities = a[full.outputNames[0]!]!;
    const [lines, steps, classes] = probabilities.dims as [number, number, number];
    expect([lines, classes]).toEqual([2, 6625]);
    const best = b[BEST_CLASS]!;
    expect(best.dims).toEqual([lines, steps]);
    expect(best.data).toBeInstanceOf(Int32Array);
    const p = probabilities.data as Float32Array;
    const [bestClass, bestProbability] = [best.data as Int32Array, b[BEST_PROBABILITY]!.data as Float32Array];
    const seen = new Set<number>();
    for (let step = 0; step < lines * steps; step++) {
      let [c, max] = [0, -1];
      for (let k = 0; k < classes; k++) if (p[step * classes + k]! > max) [c, max] = [k, p[step * classes + k]!];
      expect(bestClass[step]).toBe(c);
      expect(bestProbability[step]).toBe(max);
      seen.add(c);
    }
    // Characters were read, not only blanks between them.
    expect(seen.size).toBeGreaterThan(1);
  });
});
