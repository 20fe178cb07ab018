import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ReceiptFileError } from '../ingest/errors';
import { decodeHeic } from './heic';

// The committed fixture, see prepare.test.ts.
const fixture = () => readFile(fileURLToPath(new URL('./fixtures/receipt.heic', import.meta.url)));

describe('decodeHeic', () => {
  it('decodes in a worker thread to RGBA pixels', async () => {
    const image = await decodeHeic(await fixture(), 1_000_000);
    expect([image.width, image.height, image.channels, image.data.length]).toEqual([640, 324, 4, 640 * 324 * 4]);
  });

  it('ends the decoder when cancelled, with the caller’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const decoding = decodeHeic(await fixture(), 1_000_000, controller.signal);
    controller.abort(reason);
    await expect(decoding).rejects.toBe(reason);
  });

  it('says what is wrong with a file that is not HEIC', async () => {
    const err = await decodeHeic(Buffer.from('not a photo at all, just some text'), 1_000_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReceiptFileError);
    expect((err as Error).message).toBe('The HEIC photo could not be read: input buffer is not a HEIC image');
  });
});
