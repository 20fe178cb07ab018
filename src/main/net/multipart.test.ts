import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from './multipart';
import { parseFormData as parse } from './test-server';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multipart-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('multipartBody', () => {
  it('streams a file from disk with an exact Content-Length, again for every open()', async () => {
    const path = join(dir, 'a.bin');
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) & 0xff));
    await writeFile(path, bytes);
    const body = multipartBody(
      { language: 'eng', note: 'ü' },
      { field: 'file', filename: 'receipt.jpg', contentType: 'image/jpeg', source: { path, size: bytes.length } },
    );
    const first = await buffer(body.open());
    const second = await buffer(body.open());
    expect(first.length).toBe(body.contentLength);
    expect(second.equals(first)).toBe(true);

    const form = await parse(body.contentType, first);
    expect(form.get('language')).toBe('eng');
    expect(form.get('note')).toBe('ü');
    const file = form.get('file') as File;
    expect(file.name).toBe('receipt.jpg');
    expect(file.type).toBe('image/jpeg');
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('sends in-memory bytes and an empty file', async () => {
    const data = Buffer.from('hello');
    const inMemory = multipartBody({}, { field: 'f', filename: 'x.png', contentType: 'image/png', source: { data } });
    const form = await parse(inMemory.contentType, await buffer(inMemory.open()));
    expect(Buffer.from(await (form.get('f') as File).arrayBuffer()).toString()).toBe('hello');

    const path = join(dir, 'empty.bin');
    await writeFile(path, '');
    const empty = multipartBody({}, { field: 'f', filename: 'e', contentType: 'image/png', source: { path, size: 0 } });
    const bytes = await buffer(empty.open());
    expect(bytes.length).toBe(empty.contentLength);
    expect((await parse(empty.contentType, bytes)).get('f')).toBeInstanceOf(File);
  });

  it('cannot be tricked into extra headers by a name', async () => {
    const body = multipartBody(
      { 'a"\r\nX-Evil: 1': 'v' },
      { field: 'f', filename: 'r"\r\n.png', contentType: 'image/png\r\nX-Evil: 2', source: { data: Buffer.from('x') } },
    );
    const text = (await buffer(body.open())).toString();
    expect(text).not.toMatch(/\r\nX-Evil/);
    expect(text).toContain('name="a%22%0D%0AX-Evil: 1"');
    expect(text).toContain('filename="r%22%0D%0A.png"');
  });

  it('errors instead of sending a short body when the file shrank after it was measured', async () => {
    const path = join(dir, 'shrinks.bin');
    await writeFile(path, Buffer.alloc(1000, 1));
    const body = multipartBody({}, { field: 'f', filename: 'r', contentType: 'image/png', source: { path, size: 1000 } });
    await truncate(path, 10);
    await expect(buffer(body.open())).rejects.toThrow('the file changed while it was being uploaded');
  });
});
