// Upload memory benchmark: a 1 GB file through the OCR.space engine's real upload path (multipart body
// streamed from disk, got, Content-Length) to a local server that counts and discards the bytes.
// Goal: peak RSS growth under 50 MB however large the file is.
//
//   npx tsx bench/upload-memory.ts            both variants, each in a fresh process
//   npx tsx bench/upload-memory.ts engine     only our engine (size limit lifted)
//   npx tsx bench/upload-memory.ts blob       for comparison: got's own FormData support + fs.openAsBlob
//   SIZE_MB=256 npx tsx bench/upload-memory.ts
import { spawnSync } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import got from 'got';
import { createOcrSpaceEngine } from '../src/main/ocr/ocrspace';

const SIZE = Number(process.env.SIZE_MB ?? 1024) * 1024 * 1024;
const WARM_UP = 16 * 1024 * 1024;
const GOAL_MB = 50;
const ANSWER = JSON.stringify({
  OCRExitCode: 1,
  IsErroredOnProcessing: false,
  ParsedResults: [{ FileParseExitCode: 1, ParsedText: 'TOTAL 1.00', TextOverlay: { Lines: [] } }],
});

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function sparseFile(path: string, size: number): Promise<void> {
  // Sparse: costs no disk, reads back as zeros through the page cache like any file.
  const handle = await open(path, 'w');
  await handle.truncate(size);
  await handle.close();
}

async function upload(variant: 'engine' | 'blob', url: string, path: string, size: number): Promise<void> {
  if (variant === 'engine') {
    const engine = createOcrSpaceEngine({
      url,
      apiKey: 'bench',
      fileSizeLimit: Number.MAX_SAFE_INTEGER,
      timeouts: { totalMs: 30 * 60_000 },
      retries: { limit: 0 },
    });
    await engine.recognize({
      path,
      mime: 'image/jpeg',
      size,
      prepare: () => Promise.reject(new Error('the benchmark never prepares: the file must be streamed as is')),
    });
    await engine.close();
  } else {
    const blob = await openAsBlob(path, { type: 'image/jpeg' });
    const form = new FormData();
    form.set('language', 'eng');
    form.set('file', blob, 'receipt.jpg');
    await got.post(url, { body: form, headers: { apikey: 'bench' }, timeout: { request: 30 * 60_000 } }).text();
  }
}

async function run(variant: 'engine' | 'blob'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'upload-bench-'));
  const path = join(dir, 'big.jpg');
  const warmUp = join(dir, 'warm-up.jpg');
  await sparseFile(path, SIZE);
  await sparseFile(warmUp, WARM_UP);

  let received = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/parse/image`;

  // A small upload first, so lazy module set-up and JIT are not counted as growth from the file's size.
  await upload(variant, url, warmUp, WARM_UP);
  received = 0;
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  await upload(variant, url, path, SIZE);

  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  server.close();
  await rm(dir, { recursive: true, force: true });

  const growth = peak - baseline;
  console.log(
    [
      `${variant.padEnd(6)} file ${mb(SIZE)} MB, server received ${mb(received)} MB`,
      `time ${seconds.toFixed(1)} s (${(SIZE / 1024 / 1024 / seconds).toFixed(0)} MB/s)`,
      `RSS baseline ${mb(baseline)} MB, peak ${mb(peak)} MB, growth ${mb(growth)} MB`,
      growth < GOAL_MB * 1024 * 1024 ? `OK (< ${GOAL_MB} MB)` : `OVER the ${GOAL_MB} MB goal`,
    ].join(' | '),
  );
  if (received < SIZE) throw new Error(`server received ${received} bytes, fewer than the file's ${SIZE}`);
}

const variant = process.argv[2];
if (variant === 'engine' || variant === 'blob') {
  await run(variant);
} else {
  // A fresh process per variant, so one's heap does not hide the other's growth.
  for (const each of ['engine', 'blob']) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), each], {
      stdio: 'inherit',
      env: process.env,
    });
    if (child.status !== 0) process.exitCode = 1;
  }
}
