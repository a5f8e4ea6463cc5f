// The Electron transport through a stand-in bridge: structured clone both ways, as Electron's IPC does.
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../renderer/src/client/api.ts';
import type { Fsam3dBridge } from '../../renderer/src/client/bridge.ts';
import { createClient } from '../../renderer/src/client/index.ts';
import { createIpcClient } from '../../renderer/src/client/ipc-client.ts';
import { localEngine } from './local.ts';

const engine = localEngine();
const listeners = new Set<(e: unknown) => void>();
engine.on((msg) => listeners.forEach((l) => l(structuredClone(msg))));
const bridge: Fsam3dBridge = {
  invoke: async (req) => structuredClone(await engine.request(structuredClone(req))),
  onEvent: (cb) => (listeners.add(cb), () => void listeners.delete(cb)),
};

afterAll(() => engine.close());

describe('ipc-client', () => {
  it('runs the engine through the bridge with typed arrays and events', async () => {
    const client = createIpcClient(bridge);
    const events: EngineEvent[] = [];
    const off = client.on((e) => events.push(e));
    const sample = await client.openSample('test');
    const run = await client.run({
      imageId: sample.imageId,
      mask: sample.mask!,
      strategy: 'fast-sam3d',
      knobs: {},
      seed: 0,
    });
    expect(run.mesh.colors).toBeInstanceOf(Float32Array);
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(10);
    off();
    // Garbage pushed on the event channel never reaches listeners.
    const seen: EngineEvent[] = [];
    client.on((e) => seen.push(e));
    listeners.forEach((l) => l({ type: 'event', event: { type: 'progress', progress: 'nope' } }));
    expect(seen).toEqual([]);
  });

  it('rejects a malformed reply instead of passing it to the UI', async () => {
    const liar = createIpcClient({
      invoke: async () => ({ type: 'response', id: 1, ok: true, result: { cdL1: 'x' } }),
      onEvent: () => () => {},
    });
    await expect(liar.metrics('a', 'b')).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/malformed metrics/),
    });
    const broken = createIpcClient({
      invoke: async () => {
        throw new Error('channel closed');
      },
      onEvent: () => () => {},
    });
    await expect(broken.hello()).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('createClient picks the bridge when window.fsam3d exists', async () => {
    const g = globalThis as { fsam3d?: Fsam3dBridge };
    g.fsam3d = bridge;
    try {
      const hello = await createClient().hello();
      expect(hello.providers).toContain('cpu');
    } finally {
      delete g.fsam3d;
    }
  });
});
