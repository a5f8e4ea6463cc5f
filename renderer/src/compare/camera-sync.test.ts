import { describe, expect, it, vi } from 'vitest';
import { CameraSync } from './camera-sync';

describe('camera sync', () => {
  it('forwards a camera move to every other view, not back to the sender', () => {
    const sync = new CameraSync();
    const a = vi.fn();
    const b = vi.fn();
    const offA = sync.subscribe('a', a);
    sync.subscribe('b', b);
    const st = {
      position: [1, 2, 3] as [number, number, number],
      target: [0, 0, 0] as [number, number, number],
    };
    sync.publish('a', st);
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith(st);
    expect(sync.last).toBe(st);
    offA();
    sync.publish('b', st);
    expect(a).not.toHaveBeenCalled();
  });
});
