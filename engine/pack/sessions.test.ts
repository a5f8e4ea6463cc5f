// SessionCache provider choice: 'auto' tries the platform's GPU providers, then CPU (reported as
// information); an explicit provider that cannot start falls back to CPU with a warning.
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPack } from './load.ts';
import { autoProviders, PROVIDERS, SessionCache } from './sessions.ts';

const pack = loadPack(fileURLToPath(new URL('../../resources/packs/test', import.meta.url)));

/** Records the provider of every session attempt; GPU providers fail unless listed in `working`. */
function fakeCreate(working: string[] = []) {
  const tried: string[] = [];
  const real = ort.InferenceSession.create.bind(ort.InferenceSession) as (
    f: string,
    o: ort.InferenceSession.SessionOptions,
  ) => Promise<ort.InferenceSession>;
  vi.spyOn(ort.InferenceSession, 'create').mockImplementation((async (
    file: string,
    opts: ort.InferenceSession.SessionOptions,
  ) => {
    const p = String(opts.executionProviders![0]);
    tried.push(p);
    if (p !== 'cpu' && !working.includes(p)) throw new Error(`${p} is not here\nsecond line`);
    return real(file, { ...opts, executionProviders: ['cpu'] });
  }) as never);
  return tried;
}

afterEach(() => vi.restoreAllMocks());

describe('auto execution provider', () => {
  it('is a provider name and picks the GPU providers per platform', () => {
    expect(PROVIDERS).toContain('auto');
    const all = new Set(['cpu', 'cuda', 'dml', 'coreml', 'webgpu']);
    expect(autoProviders('linux', all)).toEqual(['cuda']);
    expect(autoProviders('win32', all)).toEqual(['cuda', 'dml']);
    expect(autoProviders('darwin', all)).toEqual(['coreml']);
    expect(autoProviders('freebsd', all)).toEqual([]);
    expect(autoProviders('win32', new Set(['cpu', 'dml']))).toEqual(['dml']);
  });

  it('falls back to CPU once, reported as information, not a warning', async () => {
    const tried = fakeCreate();
    const info = vi.fn();
    const warn = vi.fn();
    const s = new SessionCache(pack, {
      provider: 'auto',
      autoOrder: ['cuda', 'dml'],
      onInfo: info,
      onWarning: warn,
    });
    await s.get('ss_condition');
    await s.get('ss_denoiser');
    expect(tried).toEqual(['cuda', 'dml', 'cpu', 'cpu']); // failed providers are not retried
    expect(Object.fromEntries(s.used)).toEqual({ ss_condition: 'cpu', ss_denoiser: 'cpu' });
    expect(warn).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][0]).toMatch(
      /^execution provider "auto": no GPU provider started \(cuda: cuda is not here; dml: dml is not here\); running on CPU$/,
    );
    await s.dispose();
  });

  it('uses the first GPU provider that starts', async () => {
    const tried = fakeCreate(['dml']);
    const info = vi.fn();
    const s = new SessionCache(pack, { provider: 'auto', autoOrder: ['cuda', 'dml'], onInfo: info });
    await s.get('ss_condition');
    await s.get('ss_denoiser');
    expect(tried).toEqual(['cuda', 'dml', 'dml']);
    expect(s.used.get('ss_denoiser')).toBe('dml');
    expect(info.mock.calls[0][0]).toMatch(/"auto": cuda: cuda is not here; running on dml/);
    await s.dispose();
  });

  it('an explicit provider that cannot start warns', async () => {
    fakeCreate();
    const info = vi.fn();
    const warn = vi.fn();
    const s = new SessionCache(pack, { provider: 'coreml', onInfo: info, onWarning: warn });
    await s.get('ss_condition');
    expect(s.used.get('ss_condition')).toBe('cpu');
    expect(info).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      'execution provider "coreml" is not available here (coreml is not here); running on CPU',
    );
    await s.dispose();
  });

  it('on this machine, auto runs (on a GPU provider when one starts, else CPU)', async () => {
    const s = new SessionCache(pack, { provider: 'auto', onInfo: () => {} });
    await s.get('ss_condition');
    expect(['cpu', ...autoProviders()]).toContain(s.used.get('ss_condition'));
    await s.dispose();
  });
});

describe('low-memory mode', () => {
  it('keeps one network loaded: a new stage releases the previous one, repeated calls reuse it', async () => {
    const cache = new SessionCache(pack, { lowMemory: true, threads: 1 });
    const a = await cache.get('ss_decoder');
    expect(await cache.get('ss_decoder')).toBe(a);
    await cache.get('slat_condition');
    expect(await cache.get('ss_decoder')).not.toBe(a);
    await cache.dispose();
  });
});
