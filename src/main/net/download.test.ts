// downloadReceipt against real servers on 127.0.0.1: node:http for well-formed answers, a raw TCP server
// for answers node:http would never send (lying Content-Length, close-delimited bodies).
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReceiptFileError } from '../ingest/errors';
import type { LookupAddress } from 'node:dns';
import { downloadReceipt, removePartialDownloads } from './download';
import { isPublicAddress } from './address-guard';
import { listenLocal, type LocalServer } from './test-server';

let root: string;
let destDir: string;
let jpeg: Buffer;
let tinyJpeg: Buffer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'download-test-'));
  // Gradient pixels: a JPEG of some KB, larger than the bytes held back for sniffing.
  const side = 200;
  const pixels = Buffer.alloc(side * side * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 13 + Math.floor(i / 600) * 7) & 0xff;
  jpeg = await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  tinyJpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .jpeg()
    .toBuffer();
  expect(jpeg.length).toBeGreaterThan(4100);
  expect(tinyJpeg.length).toBeLessThan(4100);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  destDir = await mkdtemp(join(root, 'dest-'));
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function http(routes: Record<string, (res: import('node:http').ServerResponse) => void>): Promise<LocalServer> {
  const server = await listenLocal((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404, 'Not Found').end('no such page');
  });
  closers.push(server.close);
  return server;
}

/** A TCP server that writes whatever `answer` writes once the request arrives. */
async function raw(answer: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => answer(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const serve = (body: Buffer | string, type: string) => (res: import('node:http').ServerResponse) =>
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
const redirect = (to: string) => (res: import('node:http').ServerResponse) => res.writeHead(302, { location: to }).end();

async function failure(url: string, options: Partial<Parameters<typeof downloadReceipt>[1]> = {}) {
  const error = await downloadReceipt(url, { destDir, timeoutMs: 5000, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // Nothing is left behind after a failure, not even a .part file.
  expect(await readdir(destDir)).toEqual([]);
  return error as ReceiptFileError;
}

describe('downloadReceipt', () => {
  it('saves an image under a name from its hash, after a redirect, with progress', async () => {
    const server = await http({ '/start': redirect('/img/receipt.jpg'), '/img/receipt.jpg': serve(jpeg, 'image/jpeg') });
    const progress: number[] = [];
    const result = await downloadReceipt(`${server.origin}/start`, { destDir, onProgress: (f) => progress.push(f) });

    expect(result).toEqual({
      path: join(destDir, `${sha256(jpeg).slice(0, 16)}.jpg`),
      sha256: sha256(jpeg),
      size: jpeg.length,
      mime: 'image/jpeg',
      finalUrl: `${server.origin}/img/receipt.jpg`,
    });
    expect((await readFile(result.path)).equals(jpeg)).toBe(true);
    expect(await readdir(destDir)).toEqual([`${sha256(jpeg).slice(0, 16)}.jpg`]);
    expect(progress.at(-1)).toBe(1);
  });

  it('sniffs a body shorter than the sniff window, served as octet-stream without a length', async () => {
    const server = await http({
      '/r': (res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(tinyJpeg);
      },
    });
    const result = await downloadReceipt(`${server.origin}/r`, { destDir });
    expect(result.mime).toBe('image/jpeg');
    expect((await readFile(result.path)).equals(tinyJpeg)).toBe(true);
  });

  it('never overwrites: same content reuses the file, different content under the name gets the full hash', async () => {
    const server = await http({ '/r.jpg': serve(jpeg, 'image/jpeg') });
    const short = join(destDir, `${sha256(jpeg).slice(0, 16)}.jpg`);
    await writeFile(short, 'someone else');
    const first = await downloadReceipt(`${server.origin}/r.jpg`, { destDir });
    expect(first.path).toBe(join(destDir, `${sha256(jpeg)}.jpg`));
    expect(await readFile(short, 'utf8')).toBe('someone else');

    const again = await downloadReceipt(`${server.origin}/r.jpg`, { destDir });
    expect(again.path).toBe(first.path);
    expect((await readdir(destDir)).sort()).toEqual([`${sha256(jpeg).slice(0, 16)}.jpg`, `${sha256(jpeg)}.jpg`].sort());
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/r.jpg', 'javascript:alert(1)', 'data:image/png;base64,AA=='])(
    'refuses the non-http link %s',
    async (url) => {
      const error = await failure(url);
      expect(error).toBeInstanceOf(ReceiptFileError);
      expect(error.code).toBe('unsupported_url');
      expect(error.message).toMatch(/^Only http and https links can be downloaded, not \w+:$/);
    },
  );

  it('refuses something that is not a link', async () => {
    expect((await failure('not a url')).code).toBe('bad_url');
  });

  it('refuses a redirect to another scheme', async () => {
    const server = await http({ '/r': redirect('ftp://example.com/r.jpg') });
    expect((await failure(`${server.origin}/r`)).code).toBe('unsupported_url');
  });

  it('refuses a non-2xx answer with its status', async () => {
    const server = await http({});
    expect((await failure(`${server.origin}/missing.jpg`)).message).toBe('The link answered HTTP 404 Not Found');
  });

  it('refuses a web page by its Content-Type', async () => {
    const server = await http({ '/r': serve('<html><body>Login</body></html>', 'text/html; charset=utf-8') });
    const error = await failure(`${server.origin}/r`);
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('The link returned a web page, not a receipt');
  });

  it('refuses other Content-Types', async () => {
    const server = await http({ '/r': serve('{"a":1}', 'application/json') });
    expect((await failure(`${server.origin}/r`)).message).toBe('The link returned application/json, not an image or PDF');
  });

  it('refuses an HTML error page served as image/jpeg, from its first bytes', async () => {
    const page = `\uFEFF  <!DOCTYPE html><html><body>${'Not found. '.repeat(1000)}</body></html>`;
    const server = await http({ '/r.jpg': serve(page, 'image/jpeg') });
    const error = await failure(`${server.origin}/r.jpg`);
    expect(error.message).toBe('The link returned a web page, not a receipt');
  });

  it('refuses a ZIP served as octet-stream, naming what it is', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), Buffer.alloc(5000)]);
    const server = await http({ '/r': serve(zip, 'application/octet-stream') });
    expect((await failure(`${server.origin}/r`)).message).toMatch(/returned a \.zip file \(application\/zip\), not a receipt/);
  });

  it('refuses a Content-Length over the cap before reading the body', async () => {
    const server = await http({
      '/big.jpg': (res) => {
        // Announces 10 MB, sends one chunk, then waits: only the header can explain a prompt refusal.
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 10 * 1024 * 1024 });
        res.write(jpeg);
      },
    });
    const error = await failure(`${server.origin}/big.jpg`, { maxBytes: 1024 * 1024, timeoutMs: 60_000 });
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('The download is 10 MB; the limit is 1 MB');
  });

  it('refuses a body larger than its Content-Length claimed', async () => {
    const origin = await raw((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n');
      socket.write(jpeg);
      socket.end(Buffer.alloc(200_000, 0xff));
    });
    const error = await failure(`${origin}/r.jpg`, { maxBytes: 20_000 });
    expect(error).toBeInstanceOf(ReceiptFileError);
    expect(error.message).toMatch(/malformed answer/);
  });

  it('stops at the cap when no length is announced', async () => {
    const origin = await raw((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n');
      socket.write(jpeg);
      socket.end(Buffer.alloc(200_000, 0xff));
    });
    const error = await failure(`${origin}/r.jpg`, { maxBytes: 20_000 });
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('The download is larger than the 20 KB limit');
  });

  it('refuses a body cut short of its Content-Length', async () => {
    const origin = await raw((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length + 500}\r\n\r\n`);
      socket.end(jpeg);
    });
    expect((await failure(`${origin}/r.jpg`)).message).toBe('Could not download the receipt: the connection was cut off');
  });

  it('times out a body that stalls', async () => {
    const origin = await raw((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      socket.write(jpeg.subarray(0, 5000));
    });
    const error = await failure(`${origin}/r.jpg`, { timeoutMs: 300 });
    expect(error.code).toBe('download_timeout');
    expect(error.message).toBe('The download stalled: nothing arrived for 0.3 s');
  });

  it('times out a server that never answers', async () => {
    const origin = await raw(() => {});
    const error = await failure(`${origin}/r.jpg`, { timeoutMs: 300 });
    expect(error.code).toBe('download_timeout');
  });

  it('errors clearly on a redirect loop', async () => {
    const server = await http({ '/a': redirect('/b'), '/b': redirect('/a') });
    const error = await failure(`${server.origin}/a`);
    expect(error.code).toBe('redirect_loop');
    expect(error.message).toBe(`The link redirects in a loop (back to ${server.origin}/a)`);
  });

  it('follows up to maxRedirects redirects and no more', async () => {
    const server = await http({
      '/1': redirect('/2'),
      '/2': redirect('/3'),
      '/3': redirect('/r.jpg'),
      '/r.jpg': serve(jpeg, 'image/jpeg'),
    });
    const error = await failure(`${server.origin}/1`, { maxRedirects: 2 });
    expect(error.code).toBe('too_many_redirects');
    expect(error.message).toBe('The link redirected more than 2 times');
    await expect(downloadReceipt(`${server.origin}/1`, { destDir, maxRedirects: 3 })).resolves.toMatchObject({
      finalUrl: `${server.origin}/r.jpg`,
    });
  });

  it('stops on cancel with the caller’s reason', async () => {
    const origin = await raw((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      socket.write(jpeg.subarray(0, 5000));
    });
    const controller = new AbortController();
    const pending = downloadReceipt(`${origin}/r.jpg`, { destDir, signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(new Error('cancelled by user')), 50);
    await expect(pending).rejects.toThrow('cancelled by user');
    expect(await readdir(destDir)).toEqual([]);
  });
});

/** A DNS stand-in: every name resolves to 127.0.0.1, as a hostile or rebinding DNS server could make it. */
const toLoopback = (hostname: string, _options: unknown, callback: (error: null, addresses: LookupAddress[]) => void) => {
  void hostname;
  callback(null, [{ address: '127.0.0.1', family: 4 }]);
};

describe('downloadReceipt and private addresses', () => {
  /** A server on 127.0.0.1 that counts requests: a refused hop must never reach it. */
  async function counted(routes: Record<string, (res: import('node:http').ServerResponse) => void>) {
    const hits: string[] = [];
    const server = await listenLocal((req, res) => {
      hits.push(req.url ?? '');
      const route = routes[req.url ?? ''];
      if (route) route(res);
      else res.writeHead(404).end();
    });
    closers.push(server.close);
    return { port: new URL(server.origin).port, origin: server.origin, hits };
  }

  it('refuses a pasted name that resolves to a loopback address, before any request', async () => {
    const server = await counted({ '/r.jpg': serve(jpeg, 'image/jpeg') });
    const error = await failure(`http://receipts.example:${server.port}/r.jpg`, { lookup: toLoopback });
    expect(error).toMatchObject({ code: 'private_address' });
    expect(error.message).toBe(
      'Refused to download: receipts.example is on this computer or a private network (127.0.0.1). Paste a link with that address itself to fetch from it',
    );
    expect(server.hits).toEqual([]);
  });

  it('refuses a redirect from the pasted host to another private host: a literal, a name, the metadata service', async () => {
    const server = await counted({});
    for (const [to, address] of [
      [`http://[::1]:${server.port}/r.jpg`, '::1'],
      [`http://localhost:${server.port}/r.jpg`, '127.0.0.1'],
      [`http://rebound.example:${server.port}/r.jpg`, '127.0.0.1'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://10.1.2.3/r.jpg', '10.1.2.3'],
      ['http://[fd00::1]/r.jpg', 'fd00::1'],
    ]) {
      const start = await counted({ '/start': redirect(to) });
      const error = await failure(`${start.origin}/start`, { lookup: toLoopback });
      expect(error, to).toMatchObject({ code: 'private_address' });
      expect(error.message, to).toContain(`(${address})`);
      expect(start.hits).toEqual(['/start']);
    }
    expect(server.hits).toEqual([]);
  });

  it('fetches from the private host the pasted link names, through redirects on that host', async () => {
    const server = await counted({ '/start': redirect('/r.jpg'), '/r.jpg': serve(jpeg, 'image/jpeg') });
    expect((await downloadReceipt(`${server.origin}/start`, { destDir })).sha256).toBe(sha256(jpeg));
    expect((await downloadReceipt(`http://localhost:${server.port}/r.jpg`, { destDir, lookup: toLoopback })).sha256).toBe(sha256(jpeg));
    expect(server.hits).toEqual(['/start', '/r.jpg', '/r.jpg']);
  });

  it('tells public addresses from loopback, private, CGNAT, ULA, link-local and unspecified ones', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '100.63.255.255', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe('removePartialDownloads', () => {
  it('removes the .part files a crash left, and nothing else', async () => {
    await writeFile(join(destDir, '.0b6a1c2e-crashed.part'), 'half a receipt');
    await writeFile(join(destDir, 'abcdef0123456789.jpg'), 'a receipt');
    await writeFile(join(destDir, 'notes.part'), 'not ours');
    await removePartialDownloads(destDir);
    expect((await readdir(destDir)).sort()).toEqual(['abcdef0123456789.jpg', 'notes.part']);
    await removePartialDownloads(join(destDir, 'missing'));
  });
});
