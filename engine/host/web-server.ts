// Browser mode: serves the built studio (out/renderer) and one WebSocket endpoint (/ws) on 127.0.0.1
// only. The WebSocket needs the random token printed in the URL, a loopback Host header and, when the
// client sends an Origin, the page's own origin; together these stop other web pages (including DNS
// rebinding) from driving the engine. Static files are public: they hold no data. To use a remote GPU
// machine, run this there and forward the port: ssh -L 8123:127.0.0.1:PORT gpu-box, then open
// http://127.0.0.1:8123/?token=… locally (any local port works: checks compare against the Host header).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CodecError, decodeMessage, encodeMessage } from './codec.ts';
import type { EngineHost } from './local.ts';
import { errorResponse, LIMITS } from './protocol.ts';

export type WebServerOptions = {
  engine: EngineHost;
  /** The built renderer (index.html + assets). */
  staticDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  token?: string;
};

export type WebServer = { url: string; port: number; token: string; close(): Promise<void> };

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:* blob: data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer', // the token is in the page URL
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.glb': 'model/gltf-binary',
};

export const BUILD_HINT = 'npx vite build --config renderer/vite.config.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Host header names a loopback address (any port: an SSH tunnel may use another local port). */
export function loopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  return !!m && LOOPBACK.has(m[1]);
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(opts.staticDir);
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameBytes });
  const sockets = new Set<WebSocket>();

  const server = http.createServer((req, res) => {
    if (!loopbackHost(req.headers.host)) {
      res.writeHead(403, HEADERS).end('forbidden host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(root, new URL(req.url ?? '/', 'http://x').pathname, req.method === 'HEAD', res);
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const host = req.headers.host;
    const origin = req.headers.origin;
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!loopbackHost(host)) return refuse(403, 'Forbidden');
    // Browsers always send Origin; it must be this page. Non-browser clients send none.
    if (origin !== undefined && origin !== `http://${host}`) return refuse(403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data, isBinary) => {
      let msg: unknown;
      try {
        if (!isBinary) throw new CodecError('text frames are not part of the protocol');
        msg = decodeMessage(toBytes(data), LIMITS.frameBytes);
      } catch (e) {
        send(
          ws,
          errorResponse(-1, { code: 'bad-request', message: `unreadable message: ${(e as Error).message}` }),
        );
        return;
      }
      send(ws, await opts.engine.request(msg));
    });
  };
  const unsubscribe = opts.engine.on((event) => {
    for (const ws of sockets) send(ws, event);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function send(ws: WebSocket, msg: unknown): void {
  if (ws.readyState !== ws.OPEN) return;
  try {
    ws.send(encodeMessage(msg));
  } catch (e) {
    ws.send(encodeMessage(errorResponse(-1, { code: 'internal', message: (e as Error).message })));
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function serveStatic(root: string, pathname: string, head: boolean, res: http.ServerResponse): void {
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    res
      .writeHead(503, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      .end(`The studio is not built. Run:\n  ${BUILD_HINT}\nthen reload this page.\n`);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400, HEADERS).end();
    return;
  }
  let file = path.resolve(root, `.${rel}`);
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403, HEADERS).end();
    return;
  }
  if (rel.endsWith('/') || !existsSync(file) || !statSync(file).isFile()) {
    // Unknown paths without an extension fall back to the app (client-side routes).
    if (path.extname(rel) && !rel.endsWith('/')) {
      res.writeHead(404, HEADERS).end('not found\n');
      return;
    }
    file = index;
  }
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const cache = file === index ? 'no-store' : 'no-cache';
  res.writeHead(200, { ...HEADERS, 'Content-Type': type, 'Cache-Control': cache });
  if (head) res.end();
  else createReadStream(file).pipe(res);
}
