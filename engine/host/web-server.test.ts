import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from './codec.ts';
import type { EngineHost } from './local.ts';
import { BUILD_HINT, loopbackHost, startWebServer, type WebServer } from './web-server.ts';

let dir: string;
let server: WebServer;
const fakeEngine: EngineHost = {
  request: async (raw) => ({
    type: 'response',
    id: (raw as { id: number }).id,
    ok: true,
    result: { echo: raw },
  }),
  on: () => () => {},
  close: async () => {},
};

function get(p: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
    },
  );
}

/** Opens a WebSocket; resolves with the socket, or the HTTP status of the refused upgrade. */
function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.on('error', () => resolve(-1));
  });
}

function roundTrip(ws: WebSocket, frame: Uint8Array | string): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(decodeMessage(data as Buffer)));
    ws.send(frame);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  server = await startWebServer({ engine: fakeEngine, staticDir: dir });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web server', () => {
  it('listens on 127.0.0.1 only and prints a tokened URL', async () => {
    expect(server.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`),
    );
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = net.connect(server.port, external.address);
        s.on('connect', () => (s.destroy(), resolve(false)));
        s.on('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  });

  it('serves the studio with a CSP and safe headers', async () => {
    const page = await get('/?token=abc');
    expect(page.status).toBe(200);
    expect(page.body).toContain('studio');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const js = await get('/assets/app.js');
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).body).not.toContain('root:');
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(403);
  });

  it('refuses WebSockets without the token, with a wrong one, or from another origin', async () => {
    expect(await connect('')).toBe(401);
    expect(await connect('?token=wrong')).toBe(401);
    expect(await connect(`?token=${server.token}x`)).toBe(401);
    expect(await connect(`?token=${server.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await connect(`?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(
      403,
    );
    expect(await connect(`?token=${server.token}`, { Host: 'attacker.example' })).toBe(403);
  });

  it('answers well-formed frames and rejects malformed ones', async () => {
    const ws = await connect(`?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` });
    expect(ws).toBeInstanceOf(WebSocket);
    const sock = ws as WebSocket;
    const req = { type: 'request', id: 9, method: 'hello', params: {}, blob: Float32Array.of(1, 2) };
    const res = (await roundTrip(sock, encodeMessage(req))) as { id: number; result: { echo: typeof req } };
    expect(res.id).toBe(9);
    expect(res.result.echo.blob).toBeInstanceOf(Float32Array);
    expect(await roundTrip(sock, '{"type":"request"}')).toMatchObject({
      id: -1,
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await roundTrip(sock, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not an engine protocol frame') },
    });
    sock.close();
  });

  it('explains how to build the studio when it is missing', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-web-empty-'));
    const other = await startWebServer({ engine: fakeEngine, staticDir: empty });
    const res = await new Promise<{ status: number; body: string }>((resolve) => {
      http.get({ host: '127.0.0.1', port: other.port, path: '/' }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode!, body }));
      });
    });
    await other.close();
    rmSync(empty, { recursive: true, force: true });
    expect(res.status).toBe(503);
    expect(res.body).toContain(BUILD_HINT);
  });

  it('recognises loopback hosts only', () => {
    for (const h of ['127.0.0.1:1', 'localhost:8123', '[::1]:80', 'LOCALHOST'])
      expect(loopbackHost(h)).toBe(true);
    for (const h of [undefined, '', 'evil.com', '127.0.0.1.evil.com:80', '10.0.0.1:80', 'localhost.evil:1'])
      expect(loopbackHost(h)).toBe(false);
  });
});
