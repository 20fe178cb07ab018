import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { fuseActivations } from './fuse-activations';
import { defaultModelFiles } from './models';

const files = defaultModelFiles();
const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3 };
const sessions: ort.InferenceSession[] = [];
const open = async (model: Uint8Array) => {
  const session = await ort.InferenceSession.create(model, options);
  sessions.push(session);
  return session;
};
afterAll(() => Promise.all(sessions.map((s) => s.release())));

/** The same pseudo-random input for both models: values across the whole range a normalised image takes. */
function input(shape: number[]): ort.Tensor {
  let seed = 7;
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 31) * 2 - 1;
  });
  return new ort.Tensor('float32', data, shape);
}

async function largestDifference(path: string, shape: number[]) {
  const packaged = readFileSync(path);
  const fused = fuseActivations(packaged);
  const [a, b] = await Promise.all([open(packaged), open(fused.model)]);
  const x = input(shape);
  const [outA, outB] = await Promise.all([a.run({ [a.inputNames[0]!]: x }), b.run({ [b.inputNames[0]!]: x })]);
  const [pa, pb] = [outA[a.outputNames[0]!]!.data as Float32Array, outB[b.outputNames[0]!]!.data as Float32Array];
  expect(pb.length).toBe(pa.length);
  let largest = 0;
  for (let i = 0; i < pa.length; i++) largest = Math.max(largest, Math.abs(pa[i]! - pb[i]!));
  const ops = onnxProto.onnx.ModelProto.decode(fused.model).graph!.node!.map((n) => n.opType);
  return { largest, fused, ops };
}

describe('fuseActivations', () => {
  it('rewrites every hard-swish of the recognition model and folds its affine steps, computing the same', async () => {
    const { largest, fused, ops } = await largestDifference(files.recognition, [2, 3, 48, 320]);
    expect(fused.activations).toBe(28);
    // Each activation's scale and shift before it and its scale after it; the shift after it where a 1×1
    // convolution reads it (12), not where a padded one does.
    expect(fused.folded).toBe(28 * 3 + 12);
    // Every gate, and the 16 shifts a padded convolution reads.
    expect(fused.blocked).toBe(28 + 16);
    expect(ops).not.toContain('Clip');
    // Probabilities of each character: the same to float rounding.
    expect(largest).toBeLessThan(1e-4);
  });

  it('does the same for the detection model', async () => {
    const { largest, fused, ops } = await largestDifference(files.detection, [1, 3, 320, 224]);
    expect(fused.activations).toBe(24);
    expect(fused.folded).toBeGreaterThanOrEqual(24 * 2);
    expect(fused.blocked).toBe(24 + 14);
    expect(ops).not.toContain('Clip');
    expect(largest).toBeLessThan(1e-4);
  });

  it('rewrites the classifier’s hard-swish, which has no affine steps, and leaves its batch norms alone', async () => {
    const { largest, fused, ops } = await largestDifference(files.classifier, [2, 3, 48, 192]);
    expect(fused.activations).toBeGreaterThan(0);
    expect(ops).toContain('BatchNormalization');
    expect(largest).toBeLessThan(1e-4);
  });
});

describe('the rewritten models in ONNX Runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rs-fuse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** How often the model, as ONNX Runtime optimises it, moves a feature map out of its blocked layout. */
  async function reorders(model: Uint8Array, name: string): Promise<number> {
    const optimizedModelFilePath = join(dir, name);
    const session = await ort.InferenceSession.create(model, { ...options, optimizedModelFilePath });
    sessions.push(session);
    const nodes = onnxProto.onnx.ModelProto.decode(readFileSync(optimizedModelFilePath)).graph!.node!;
    return nodes.filter((n) => n.opType === 'ReorderOutput').length;
  }

  it.each([
    ['recognition', files.recognition, 10],
    ['detection', files.detection, 26],
  ])('keep the %s model’s feature maps in the convolutions’ blocked layout through its activations', async (name, path, most) => {
    const packaged = readFileSync(path);
    const [before, after] = [
      await reorders(packaged, `${name}-packaged.onnx`),
      await reorders(fuseActivations(packaged).model, `${name}.onnx`),
    ];
    // Where ONNX Runtime uses no blocked layout (CPUs without AVX2), there is nothing to keep.
    if (before === 0) expect(after).toBe(0);
    else expect(after).toBeLessThanOrEqual(most);
  });
});
