// Serves the built renderer over http on 127.0.0.1 (module scripts need an http origin, not file://),
// with the app protocol's own code: the same path guard, types and Content-Security-Policy header.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rendererResponse } from '../src/main/renderer-protocol';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/favicon.ico') {
      // Browsers ask for one on their own; the Electron window never does.
      res.writeHead(204).end();
      return;
    }
    const response = await rendererResponse(root, pathname);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
