import { describe, expect, it, vi } from 'vitest';
import type { ResponseMessage } from '../../engine/host/protocol.ts';
import {
  createInvokeHandler,
  isTrustedSender,
  originOf,
  UntrustedSenderError,
  type ShellHandlers,
} from './ipc.ts';
import { SettingsGuard } from './settings.ts';

const ORIGIN = 'app://studio';

function fakeContents(url = `${ORIGIN}/index.html`) {
  const mainFrame = { url };
  return { mainFrame, isDestroyed: () => false };
}

describe('isTrustedSender', () => {
  const main = fakeContents();
  it('accepts only the main window, its top frame, at the studio origin', () => {
    expect(
      isTrustedSender({ sender: main, senderFrame: main.mainFrame } as never, main as never, ORIGIN),
    ).toBe(true);
  });
  it.each([
    ['another web contents', () => ({ sender: fakeContents(), senderFrame: main.mainFrame })],
    ['a sub-frame', () => ({ sender: main, senderFrame: { url: `${ORIGIN}/index.html` } })],
    ['a destroyed frame', () => ({ sender: main, senderFrame: null })],
  ])('refuses %s', (_label, ev) => {
    expect(isTrustedSender(ev() as never, main as never, ORIGIN)).toBe(false);
  });
  it('refuses the top frame once it shows another origin', () => {
    const other = fakeContents('https://evil.example/');
    expect(
      isTrustedSender({ sender: other, senderFrame: other.mainFrame } as never, other as never, ORIGIN),
    ).toBe(false);
    const file = fakeContents('file:///tmp/x.html');
    expect(
      isTrustedSender({ sender: file, senderFrame: file.mainFrame } as never, file as never, ORIGIN),
    ).toBe(false);
  });
  it('refuses everything when there is no window', () => {
    expect(isTrustedSender({ sender: main, senderFrame: main.mainFrame } as never, null, ORIGIN)).toBe(false);
  });
  it('reads origins of custom schemes (URL.origin says "null" for them)', () => {
    expect(originOf('app://studio/index.html')).toBe('app://studio');
    expect(originOf('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(originOf('::')).toBeNull();
  });
});

function setup(opts: { trusted?: boolean; packDirs?: string[] } = {}) {
  const engine = {
    request: vi.fn(async (raw: unknown): Promise<ResponseMessage> => ({
      type: 'response',
      id: (raw as { id: number }).id,
      ok: true,
      result: { echoed: (raw as { method: string }).method },
    })),
  };
  const shell = {
    'shell.openPhoto': vi.fn(async () => ({ name: 'a.png', bytes: new Uint8Array([1]) })),
    'shell.importMask': vi.fn(async () => null),
    'shell.addPackFolder': vi.fn(async () => null),
    'shell.saveFile': vi.fn(async () => ({ name: 'x.glb' })),
    'shell.openExternal': vi.fn(async () => ({ opened: false })),
  } satisfies ShellHandlers;
  const guard = new SettingsGuard(opts.packDirs ?? []);
  const handler = createInvokeHandler({
    isTrusted: () => opts.trusted ?? true,
    engine,
    shell,
    checkSettings: (p) => guard.check(p),
    observe: (m, r) => guard.observe(m, r),
  });
  const event = {} as never;
  return { engine, shell, guard, call: (raw: unknown) => handler(event, raw) };
}

const req = (method: string, params: unknown = {}, id = 7) => ({ type: 'request', id, method, params });

describe('the invoke handler', () => {
  it('rejects every message from an untrusted sender before looking at it', async () => {
    const t = setup({ trusted: false });
    await expect(t.call(req('hello'))).rejects.toBeInstanceOf(UntrustedSenderError);
    await expect(t.call(req('shell.openPhoto'))).rejects.toBeInstanceOf(UntrustedSenderError);
    expect(t.engine.request).not.toHaveBeenCalled();
    expect(t.shell['shell.openPhoto']).not.toHaveBeenCalled();
  });

  it('forwards a valid engine request and returns its response', async () => {
    const t = setup();
    const raw = req('openImage', { name: 'p.png', bytes: new Uint8Array([1, 2, 3]) });
    await expect(t.call(raw)).resolves.toEqual({
      type: 'response',
      id: 7,
      ok: true,
      result: { echoed: 'openImage' },
    });
    expect(t.engine.request).toHaveBeenCalledWith(raw);
  });

  it.each([
    ['not an object', 42],
    ['null', null],
    ['no envelope', { method: 'hello' }],
    ['unknown method', req('deleteEverything')],
    ['an internal method', req('restoreImage', { imageId: 'a', name: 'n', bytes: new Uint8Array() })],
    ['bytes as a plain array', req('openImage', { name: 'p.png', bytes: [1, 2, 3] })],
    ['an extra key', req('hello', { sneaky: true })],
    ['a bad id', req('segment', { imageId: '../../etc', points: [{ x: 1, y: 1, positive: true }] })],
    ['a bad provider', req('updateSettings', { provider: 'gpu-please' })],
    ['too many threads', req('updateSettings', { threads: 100000 })],
    [
      'non-finite knob',
      req('run', { imageId: 'a', mask: new Uint8Array(1), strategy: 's', knobs: { k: Infinity }, seed: 0 }),
    ],
  ])('answers %s with a bad-request error and never reaches the engine', async (_label, raw) => {
    const t = setup();
    const res = await t.call(raw);
    expect(res.ok).toBe(false);
    expect(res.ok === false && res.error.code).toBe('bad-request');
    expect(t.engine.request).not.toHaveBeenCalled();
  });

  it('refuses a pack folder that was not chosen in a dialog', async () => {
    const t = setup({ packDirs: ['/packs/known'] });
    const res = await t.call(req('updateSettings', { packDirs: ['/packs/known', '/etc'] }));
    expect(res.ok === false && res.error.message).toMatch(/\/etc was not chosen in a dialog/);
    expect(t.engine.request).not.toHaveBeenCalled();
    // Dropping or keeping known folders is fine; a folder picked in the dialog becomes known.
    expect((await t.call(req('updateSettings', { packDirs: [] }))).ok).toBe(true);
    t.guard.allow('/packs/new');
    expect((await t.call(req('updateSettings', { packDirs: ['/packs/known', '/packs/new'] }))).ok).toBe(true);
  });

  it('validates shell requests with their own schemas', async () => {
    const t = setup();
    await expect(t.call(req('shell.openPhoto'))).resolves.toEqual({
      type: 'response',
      id: 7,
      ok: true,
      result: { name: 'a.png', bytes: new Uint8Array([1]) },
    });
    const bad = await t.call(req('shell.saveFile', { bytes: 'AAAA', suggestedName: 'x', format: 'glb' }));
    expect(bad.ok === false && bad.error.code).toBe('bad-request');
    const badFormat = await t.call(
      req('shell.saveFile', { bytes: new Uint8Array(1), suggestedName: 'x', format: 'exe' }),
    );
    expect(badFormat.ok).toBe(false);
    const extra = await t.call(req('shell.openPhoto', { path: '/etc/passwd' }));
    expect(extra.ok).toBe(false);
    expect(t.shell['shell.saveFile']).not.toHaveBeenCalled();
    expect(t.shell['shell.openPhoto']).toHaveBeenCalledOnce();
  });

  it('turns a failing shell action into an error response', async () => {
    const t = setup();
    t.shell['shell.openPhoto'].mockRejectedValueOnce(new Error('photo.png is 300 MiB; the limit is 128 MiB'));
    const res = await t.call(req('shell.openPhoto'));
    expect(res).toMatchObject({ ok: false, id: 7, error: { code: 'user', message: /300 MiB/ } });
  });
});
