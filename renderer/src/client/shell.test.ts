// The shell client: shell.* requests through the bridge with validated answers, and shell events.
import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../app/fake-engine';
import { EngineError } from './rpc';
import { createShellClient, parseShellEvent, type ShellEvent } from './shell';

const bytes = new Uint8Array([137, 80, 78, 71]);

describe('shell client', () => {
  it('is absent outside Electron', () => {
    expect(createShellClient(undefined)).toBeNull();
  });

  it('asks the shell for dialogs on the invoke channel and checks the answers', async () => {
    const bridge = new FakeBridge();
    const shell = createShellClient(bridge)!;
    bridge.replies['shell.openPhoto'] = () => ({ name: 'cat.png', bytes });
    bridge.replies['shell.saveFile'] = (p) => ({ name: `${p.suggestedName}` });
    bridge.replies['shell.openExternal'] = () => ({ opened: true });
    expect(await shell.openPhoto()).toEqual({ name: 'cat.png', bytes });
    expect(await shell.saveFile(new Uint8Array(3), 'chair.glb', 'glb')).toBe('chair.glb');
    expect(await shell.openExternal('https://github.com/facebookresearch/sam-3d-objects')).toBe(true);
    expect(bridge.calls.map((c) => c.method)).toEqual([
      'shell.openPhoto',
      'shell.saveFile',
      'shell.openExternal',
    ]);
    expect(bridge.calls[1].params).toEqual({
      bytes: new Uint8Array(3),
      suggestedName: 'chair.glb',
      format: 'glb',
    });

    bridge.replies['shell.importMask'] = () => null; // cancelled
    expect(await shell.importMask()).toBeNull();
    bridge.replies['shell.importMask'] = () => ({ name: 'm.png', bytes: [1, 2] }); // not a Uint8Array
    await expect(shell.importMask()).rejects.toMatchObject({ code: 'internal' });
    await expect(shell.addPackFolder()).rejects.toEqual(new EngineError('user', 'no shell.addPackFolder'));
  });

  it('passes on valid shell events only', () => {
    const bridge = new FakeBridge();
    const shell = createShellClient(bridge)!;
    const got: ShellEvent[] = [];
    const off = shell.onEvent((e) => got.push(e));
    bridge.push({ type: 'shell', event: { type: 'menu', action: 'undo' } });
    bridge.push({ type: 'event', event: { type: 'warning', message: 'engine, not shell' } });
    bridge.push({ type: 'shell', event: { type: 'menu', action: 'format-disk' } });
    bridge.push({ type: 'shell', event: { type: 'file-opened', kind: 'photo', name: 'a.png', bytes: [1] } });
    bridge.push({ type: 'shell', event: { type: 'file-opened', kind: 'mask', name: 'm.png', bytes } });
    expect(got).toEqual([
      { type: 'menu', action: 'undo' },
      { type: 'file-opened', kind: 'mask', name: 'm.png', bytes },
    ]);
    off();
    expect(bridge.listenerCount).toBe(0);
    expect(parseShellEvent(null)).toBeNull();
  });
});
