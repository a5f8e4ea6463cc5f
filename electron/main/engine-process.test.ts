import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../engine/host/protocol.ts';
import { Supervisor } from '../../engine/host/supervisor.ts';
import { utilityProcessSpawner } from './engine-process.ts';
import { FakeUtilityProcess, forkFake, until } from './test-fakes.ts';

afterEach(() => {
  FakeUtilityProcess.all = [];
});

function start() {
  const fork = vi.fn(forkFake);
  const engine = new Supervisor({
    spawn: utilityProcessSpawner(fork as never, {
      entry: '/app/out/main/engine-worker.cjs',
      args: ['--settings-dir=/user', '--resources-dir=/res'],
    }),
  });
  const events: EventMessage[] = [];
  engine.on((e) => events.push(e));
  return { fork, engine, events };
}
const req = (id: number, method: string, params: unknown = {}) => ({ type: 'request', id, method, params });

describe('engine utility process', () => {
  it('forks the bundled worker with its folders and answers requests through it', async () => {
    const { fork, engine } = start();
    await expect(engine.request(req(1, 'hello'))).resolves.toEqual({
      type: 'response',
      id: 1,
      ok: true,
      result: { method: 'hello' },
    });
    expect(fork).toHaveBeenCalledOnce();
    expect(fork).toHaveBeenCalledWith(
      '/app/out/main/engine-worker.cjs',
      ['--settings-dir=/user', '--resources-dir=/res'],
      expect.objectContaining({ serviceName: 'Fast-SAM3D Engine' }),
    );
    await engine.close();
  });

  it('restarts after a crash, refills the open photos and announces engine-restarted', async () => {
    const { fork, engine, events } = start();
    const bytes = new Uint8Array([137, 80, 78, 71]);
    expect((await engine.request(req(1, 'openImage', { name: 'cat.png', bytes }))).ok).toBe(true);

    const first = FakeUtilityProcess.all[0];
    first.hangOn.add('run');
    const inFlight = engine.request(
      req(2, 'run', { imageId: 'img-1', mask: new Uint8Array(12), strategy: 'full', knobs: {}, seed: 0 }),
    );
    await until(() => first.requests.some((r) => r.method === 'run'));
    first.crash(134);

    // The request in flight fails with a clear code; the engine comes back on its own.
    await expect(inFlight).resolves.toMatchObject({ id: 2, ok: false, error: { code: 'engine-crashed' } });
    await until(() => events.some((e) => e.event.type === 'engine-restarted'));
    expect(fork).toHaveBeenCalledTimes(2);
    const second = FakeUtilityProcess.all[1];
    expect(second.requests[0]).toMatchObject({
      method: 'restoreImage',
      params: { imageId: 'img-1', name: 'cat.png', bytes },
    });
    expect(events.find((e) => e.event.type === 'engine-restarted')!.event).toMatchObject({
      reason: expect.stringContaining('exit code 134'),
    });
    // …and serves requests again.
    expect((await engine.request(req(3, 'hello'))).ok).toBe(true);
    await engine.close();
  });

  it('does not post to a process that has exited', () => {
    const spawn = utilityProcessSpawner(forkFake as never, { entry: 'w.cjs', args: [] });
    const handle = spawn();
    expect(() => handle.post({ type: 'request', id: 1, method: 'hello', params: {} })).not.toThrow();
    expect(FakeUtilityProcess.all[0].requests).toEqual([]);
  });
});
