// The PP-OCR engine with the real models from node_modules, on receipts rendered by the test.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReceiptImage, type ReceiptImageOptions } from '../../testing/receipt-image';
import { EngineUnavailableError, type OcrEngine, type OcrInput, type OcrLine } from '../engine';
import { preparePages } from '../prepare';
import { defaultModelFiles } from './models';
import { createPaddleEngine, linesPerRun, modelThreads, runtimeProblem } from './paddle-engine';

const LINES = ['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32'];

let dir: string;
let engine: OcrEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paddle-'));
  engine = createPaddleEngine({ threads: 2, modelThreads: 2 });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function receipt(name: string, options: ReceiptImageOptions = {}, lines = LINES): Promise<OcrInput> {
  const path = join(dir, name);
  await writeReceiptImage(path, lines, options);
  return { path, mime: 'image/png', size: (await stat(path)).size, prepare: () => preparePages(path, 'image/png') };
}

/** A receipt whose pages are prepared once, up front: what is timed is the reading alone. */
async function prepared(name: string, lines = LINES): Promise<OcrInput> {
  const input = await receipt(name, {}, lines);
  const pages = await input.prepare();
  return { ...input, prepare: async () => pages };
}

/** Resolves at the reading's first progress report, once the models are at work on it. */
const started = (onStart: () => void) => {
  let once = false;
  return (fraction: number) => {
    if (fraction > 0 && !once) {
      once = true;
      onStart();
    }
  };
};

describe('PP-OCR engine', () => {
  it('reads a receipt into lines with word boxes and 0..1 confidences', async () => {
    const progress: number[] = [];
    const result = await engine.recognize(await receipt('upright.png'), { onProgress: (f) => progress.push(f) });
    expect(result.engine).toBe('paddle');
    expect(result.text).toContain('CORNER CAFE');
    expect(result.text).toContain('14/03/2024');
    const total = result.lines.find((l) => /TOTAL\s*8\.32/.test(l.text) && !/SUB/.test(l.text));
    expect(total, result.text).toBeDefined();
    // The amount's word box lies right of the label's, on the same line.
    const [label, amount] = [total!.words!.find((w) => w.text.startsWith('TOTAL')), total!.words!.find((w) => w.text.includes('8.32'))];
    expect(amount!.bbox.x0).toBeGreaterThanOrEqual(label!.bbox.x1 - 1);
    expect(amount!.bbox.y0).toBeLessThan(label!.bbox.y1);
    for (const line of result.lines) {
      expect(line.confidence).toBeGreaterThan(0.5);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
    expect(result.notes ?? []).toEqual([]);
    expect(progress.at(-1)).toBe(1);
  });

  it.each([90, 180, 270] as const)('reads a receipt turned %i° the right way up and says so', async (rotate) => {
    const result = await engine.recognize(await receipt(`turned-${rotate}.png`, { rotate }));
    // Monospaced O and 0 are told apart less surely on a resampled page; a name may come as two boxes.
    expect(result.text).toMatch(/T[O0]TAL 8\.32/);
    expect(result.text).toMatch(/CORNER\sCAFE/);
    // The receipt was turned `rotate` clockwise, so it is read turned back the other way.
    const back = (360 - rotate) % 360;
    expect(result.notes?.join(' ')).toMatch(back === 180 ? /upside down/ : back === 90 ? /90° clockwise/ : /anticlockwise/);
  });

  it('stops before reading when cancelled', async () => {
    const input = await receipt('cancel.png');
    await expect(engine.recognize(input, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('keeps the calling thread free while the models run', async () => {
    // A long receipt: in-process, each of its model runs holds the thread for 0.2–1.5 s.
    const lines = Array.from({ length: 6 }, () => LINES).flat();
    const input = await prepared('long.png', lines);
    await engine.recognize(input); // the models are loaded before the clock starts
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 10);
    const before = performance.eventLoopUtilization();
    const result = await engine.recognize(input).finally(() => clearInterval(tick));
    const busy = performance.eventLoopUtilization(before).utilization;
    expect(result.text).toContain('CORNER CAFE');
    // In-process the thread is busy nearly all the reading long. The timer's gaps also count the time
    // the shared cores' scheduler keeps the thread waiting (up to ~100 ms on a loaded machine).
    expect(busy).toBeLessThan(0.2);
    expect(longest).toBeLessThan(250);
  });

  it('gives up a cancelled reading at once, and reads on afterwards', async () => {
    const input = await prepared('cancelled.png');
    const cancel = new AbortController();
    const reason = new Error('cancelled by the test');
    let cancelledAt = 0;
    const reading = engine.recognize(input, {
      signal: cancel.signal,
      onProgress: started(() => {
        cancelledAt = performance.now();
        cancel.abort(reason);
      }),
    });
    await expect(reading).rejects.toBe(reason);
    expect(performance.now() - cancelledAt).toBeLessThan(50);
    expect((await engine.recognize(input)).text).toContain('CORNER CAFE');
  });

  it('reads receipts in turn on one model thread, whole, and drops one cancelled while it waits', async () => {
    const single = createPaddleEngine({ threads: 2, modelThreads: 1 });
    try {
      const long = await prepared('turn-long.png', Array.from({ length: 4 }, () => LINES).flat());
      const [next, waiting] = await Promise.all([prepared('turn-next.png'), prepared('turn-waiting.png')]);
      await single.recognize(next); // the models are loaded before the three are posted
      const order: string[] = [];
      const cancel = new AbortController();
      const reason = new Error('cancelled while waiting');
      let waitingStarted = false;
      // Cancelled once the long one is under way: by then the other two wait for the thread.
      const first = single.recognize(long, { onProgress: started(() => cancel.abort(reason)) }).then((r) => {
        order.push('long read');
        return r;
      });
      const cancelled = single.recognize(waiting, { signal: cancel.signal, onProgress: started(() => (waitingStarted = true)) });
      const second = single.recognize(next, { onProgress: started(() => order.push('next started')) });
      await expect(cancelled).rejects.toBe(reason);
      const [a, b] = await Promise.all([first, second]);
      expect(order).toEqual(['long read', 'next started']);
      expect(waitingStarted).toBe(false);
      expect(a.text).toContain('8.32');
      expect(b.text).toContain('CORNER CAFE');
    } finally {
      await single.close();
    }
  });

  it('reads two receipts side by side on two model threads, as one thread on both cores reads them', async () => {
    // Each thread of `engine` runs on one core, one line a run; `single` runs 4 lines a run on two.
    const single = createPaddleEngine({ threads: 2, modelThreads: 1 });
    try {
      const long = await prepared('side-long.png', Array.from({ length: 4 }, () => LINES).flat());
      const short = await prepared('side-short.png');
      await Promise.all([engine.recognize(short), engine.recognize(short)]); // both threads' models loaded
      const events: string[] = [];
      const [a, b] = await Promise.all([
        engine.recognize(long, { onProgress: started(() => events.push('long started')) }).finally(() => events.push('long read')),
        engine.recognize(short, { onProgress: started(() => events.push('short started')) }).finally(() => events.push('short read')),
      ]);
      // The short one starts while the long one is still being read: it did not wait its turn.
      expect(events.indexOf('short started')).toBeLessThan(events.indexOf('long read'));
      expect(a).toEqual(await single.recognize(long));
      expect(b).toEqual(await single.recognize(short));
    } finally {
      await single.close();
    }
  });

  it('gives a waiting receipt to the first thread free, not to one busy with a long receipt', async () => {
    const long = await prepared('free-long.png', Array.from({ length: 6 }, () => LINES).flat());
    const [short, next] = await Promise.all([prepared('free-short.png'), prepared('free-next.png')]);
    await Promise.all([engine.recognize(short), engine.recognize(short)]); // both threads' models loaded
    const order: string[] = [];
    const read = (name: string, input: OcrInput) => engine.recognize(input).finally(() => order.push(name));
    const [a, , c] = await Promise.all([read('long', long), read('short', short), read('next', next)]);
    expect(order).toEqual(['short', 'next', 'long']);
    expect(a.text).toContain('8.32');
    expect(c.text).toContain('CORNER CAFE');
  });

  it('pads each line to the widest of its group of like width, as PaddleOCR batches them', async () => {
    const alone = createPaddleEngine({ threads: 2, modelThreads: 1, reading: { widthGroup: 1 } });
    try {
      const input = await prepared('groups.png');
      const [grouped, unpadded] = [await engine.recognize(input), await alone.recognize(input)];
      expect(grouped.lines.map((l) => l.bbox)).toEqual(unpadded.lines.map((l) => l.bbox));
      const aspect = ({ bbox }: OcrLine) => (bbox.x1 - bbox.x0) / (bbox.y1 - bbox.y0);
      const widest = grouped.lines.reduce((best, line, i) => (aspect(line) > aspect(grouped.lines[best]!) ? i : best), 0);
      // The widest line is padded to nothing either way; the narrower ones read with their group's padding.
      expect(grouped.lines[widest]).toEqual(unpadded.lines[widest]);
      expect(grouped.lines.filter((line, i) => line.confidence !== unpadded.lines[i]!.confidence).length).toBeGreaterThan(0);
    } finally {
      await alone.close();
    }
  });

  it('fails a reading in flight when closed, and reads no more', async () => {
    const own = createPaddleEngine({ threads: 2 });
    const input = await prepared('closed.png');
    let closing: Promise<void> | undefined;
    const reading = own.recognize(input, { onProgress: started(() => (closing = own.close())) });
    await expect(reading).rejects.toThrow('The OCR engine was closed');
    await closing;
    await expect(own.recognize(input)).rejects.toThrow('The OCR engine is closed');
  });

  it("reads the same with ONNX Runtime's memory pattern on: off only saves memory", async () => {
    const patterned = createPaddleEngine({ threads: 2, memPattern: true });
    try {
      // Two receipts of different sizes: the model inputs change shape, as from one file to the next.
      for (const [name, lines] of [
        ['pattern-long.png', LINES],
        ['pattern-short.png', LINES.slice(0, 3)],
      ] as const) {
        const input = await prepared(name, [...lines]);
        expect(await engine.recognize(input)).toEqual(await patterned.recognize(input));
      }
    } finally {
      await patterned.close();
    }
  });

  it('reads the same lines in the same boxes with the models as packaged: the rewrite at load only saves time', async () => {
    const packaged = createPaddleEngine({ threads: 2, fuseActivations: false });
    try {
      const input = await prepared('packaged.png');
      const [fused, asPackaged] = [await engine.recognize(input), await packaged.recognize(input)];
      const lines = (r: typeof fused) => r.lines.map(({ text, bbox }) => ({ text, bbox }));
      expect(fused.lines.length).toBeGreaterThanOrEqual(LINES.length - 1);
      expect(lines(fused)).toEqual(lines(asPackaged));
      // Float rounding differs between the two graphs, no more.
      fused.lines.forEach((line, i) => expect(line.confidence).toBeCloseTo(asPackaged.lines[i]!.confidence, 3));
    } finally {
      await packaged.close();
    }
  });

  it('says when the models cannot be loaded, as an engine that cannot run here', async () => {
    const broken = createPaddleEngine({ threads: 1, models: { ...defaultModelFiles(), detection: join(dir, 'missing.onnx') } });
    try {
      const failure = broken.recognize(await prepared('unloaded.png'));
      await expect(failure).rejects.toThrow(/^PaddleOCR could not start: its models did not load \(.*missing\.onnx/);
      await expect(failure).rejects.toBeInstanceOf(EngineUnavailableError);
    } finally {
      await broken.close();
    }
  });
});

describe('modelThreads', () => {
  const GB = 1024 ** 3;

  it('reads two files at once with two cores or more and 8 GB of memory', () => {
    expect(modelThreads(2, 7.7 * GB)).toBe(2); // what a machine sold with 8 GB reports
    expect(modelThreads(16, 64 * GB)).toBe(2);
  });

  it('keeps to one set of sessions on one core or under 8 GB, where their memory weighs more', () => {
    expect(modelThreads(1, 64 * GB)).toBe(1);
    expect(modelThreads(8, 4 * GB)).toBe(1);
  });
});

describe('linesPerRun', () => {
  it('runs one line at a time on one core, and two lines for each core a run is spread over', () => {
    expect(linesPerRun(1, 8)).toBe(1);
    expect(linesPerRun(2, 8)).toBe(4);
  });

  it('never runs more lines at once than the group padded alike', () => {
    expect(linesPerRun(8, 8)).toBe(8);
    expect(linesPerRun(2, 1)).toBe(1);
  });
});

describe('runtimeProblem', () => {
  const dlopen = (message: string) => Object.assign(new Error(message), { code: 'ERR_DLOPEN_FAILED' });

  it('says what fixes a runtime Windows cannot load for a missing library', () => {
    const missing = dlopen('The specified module could not be found.\r\n\\\\?\\C:\\app\\onnxruntime_binding.node');
    expect(runtimeProblem(missing, 'win32')).toMatch(
      /^PaddleOCR could not start: its runtime, onnxruntime-node, did not load on this computer \(The specified module could not be found\..*\); installing Microsoft's Visual C\+\+ Redistributable \(x64\) should fix it$/s,
    );
  });

  it('gives no such advice for other failures or other systems', () => {
    expect(runtimeProblem(dlopen('A dynamic link library (DLL) initialization routine failed.'), 'win32')).not.toMatch(/Redistributable/);
    expect(runtimeProblem(dlopen('libonnxruntime.so.1: cannot open shared object file: could not be found'), 'linux')).not.toMatch(
      /Redistributable/,
    );
    expect(runtimeProblem(new Error("Cannot find module 'onnxruntime-node'"), 'win32')).toBe(
      "PaddleOCR could not start: its runtime, onnxruntime-node, did not load on this computer (Cannot find module 'onnxruntime-node')",
    );
  });
});
