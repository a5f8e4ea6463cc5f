// The browser transport against the real web server and a supervised worker, in Node (ws as WebSocket).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineClient, EngineEvent } from '../../renderer/src/client/api.ts';
import { EngineError } from '../../renderer/src/client/rpc.ts';
import { createWsClient, type WebSocketCtor } from '../../renderer/src/client/ws-client.ts';
import { nodeSpawner, Supervisor } from './supervisor.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let dir: string;
let sup: Supervisor;
let server: WebServer;
let client: EngineClient;
const Ws = WebSocket as unknown as WebSocketCtor;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-wsc-'));
  sup = new Supervisor({ spawn: nodeSpawner({ args: [`--settings-dir=${dir}`] }) });
  server = await startWebServer({ engine: sup, staticDir: dir });
  client = createWsClient({ url: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`, WebSocket: Ws });
});

afterAll(async () => {
  await server?.close();
  await sup?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ws-client', () => {
  it('drives the engine end to end with typed arrays and events', async () => {
    const events: EngineEvent[] = [];
    const off = client.on((e) => events.push(e));
    const hello = await client.hello();
    expect(hello.packs.map((p) => p.id)).toContain('test-tiny');
    const sample = await client.openSample('test');
    expect(sample.bytes).toBeInstanceOf(Uint8Array);
    expect(sample.mask).toBeInstanceOf(Uint8Array);
    const run = await client.run({
      imageId: sample.imageId,
      mask: sample.mask!,
      strategy: 'full',
      knobs: {},
      seed: 0,
      runId: 'ws-1',
    });
    expect(run.mesh.vertices).toBeInstanceOf(Float32Array);
    expect(run.mesh.faces).toBeInstanceOf(Uint32Array);
    expect(events.some((e) => e.type === 'progress' && e.progress.runId === 'ws-1')).toBe(true);
    const preview = events.find((e) => e.type === 'preview');
    expect(preview?.type === 'preview' && preview.preview.coords).toBeInstanceOf(Int32Array);
    const m = await client.metrics('ws-1', 'ws-1');
    expect(m.distances.length).toBe(run.mesh.vertices.length / 3);
    const glb = await client.export({ runIds: ['ws-1'], format: 'glb', scene: false });
    expect(new TextDecoder().decode(glb.bytes.subarray(0, 4))).toBe('glTF');
    await client.cancel();
    off();
  });

  it('turns error replies into EngineError with a code', async () => {
    await expect(client.metrics('missing', 'ws-1')).rejects.toMatchObject({
      name: 'EngineError',
      code: 'not-found',
    });
    await expect(client.openSample('nope')).rejects.toMatchObject({
      code: 'user',
      message: expect.stringContaining('nope'),
    });
    const bad = client.run({
      imageId: '../x',
      mask: new Uint8Array(1),
      strategy: 'full',
      knobs: {},
      seed: 0,
    });
    await expect(bad).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('reports a refused connection clearly', async () => {
    const wrong = createWsClient({ url: `ws://127.0.0.1:${server.port}/ws?token=wrong`, WebSocket: Ws });
    const err = await wrong.hello().catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'disconnected', message: expect.stringContaining('token') });
  });
});
