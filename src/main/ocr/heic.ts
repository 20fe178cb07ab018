// HEIC/HEIF phone photos. sharp's prebuilt libvips has no HEVC decoder, so they are decoded by libheif
// compiled to WebAssembly (heic-decode → libheif-js; no native build, the wasm is inlined in its JS) and
// handed to sharp as raw pixels, like bmp.ts does for BMP. Decoding runs in a worker thread of its own:
// it is synchronous WebAssembly that takes seconds for a 12 MP photo, which would otherwise stall the
// main process (and the window's IPC with it); a cancel or time-out can end it; and the wasm memory it
// grew goes away with the thread.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ReceiptFileError } from '../ingest/errors';
import { tooManyPixelsReason } from '../ingest/limits';
import { unpacked } from './asar-path';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

type Answer =
  | { width: number; height: number; data: Uint8ClampedArray }
  | { tooLarge: { width: number; height: number } }
  | { failed: 'read' | 'decode'; message: string };

// Plain CommonJS, run with eval so no build step has to know about a second entry file. The first
// top-level image is the photo (others are thumbnails or bursts); its size comes from the container,
// so a decompression bomb is refused before its pixels exist.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.module);
const message = (err) => (err && err.message) || String(err);
decode.all({ buffer: workerData.file }).then(async (images) => {
  try {
    const image = images[0];
    if (image.width * image.height > workerData.maxPixels) {
      return parentPort.postMessage({ tooLarge: { width: image.width, height: image.height } });
    }
    const { width, height, data } = await image.decode().catch((err) => { throw { decode: message(err) }; });
    parentPort.postMessage({ width, height, data }, [data.buffer]);
  } finally {
    images.dispose();
  }
}).catch((err) => parentPort.postMessage(err && err.decode ? { failed: 'decode', message: err.decode } : { failed: 'read', message: message(err) }));
`;

const requireHere = createRequire(import.meta.url);

export async function decodeHeic(file: Buffer, maxPixels: number, signal?: AbortSignal): Promise<RawImage> {
  signal?.throwIfAborted();
  const worker = new Worker(WORKER, { eval: true, workerData: { module: unpacked(requireHere.resolve('heic-decode')), file, maxPixels } });
  const cancel = () => void worker.terminate();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const answer = await new Promise<Answer>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(signal?.aborted ? signal.reason : new Error(`the decoder stopped (exit code ${code})`)));
    });
    if ('tooLarge' in answer) {
      const { width, height } = answer.tooLarge;
      throw new ReceiptFileError(`The ${tooManyPixelsReason(width, height, maxPixels)}`, 'too_many_pixels');
    }
    if ('failed' in answer) {
      throw new ReceiptFileError(
        `The HEIC photo could not be ${answer.failed === 'read' ? 'read' : 'decoded'}: ${answer.message}`,
        'unreadable',
      );
    }
    const { width, height, data } = answer;
    return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 };
  } finally {
    signal?.removeEventListener('abort', cancel);
    void worker.terminate();
  }
}
