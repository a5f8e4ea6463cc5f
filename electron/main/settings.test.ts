import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../engine/host/protocol.ts';
import { SettingsGuard } from './settings.ts';

const abs = (p: string) => path.resolve(p);

describe('settings', () => {
  it('are validated by the engine protocol before the shell sees them', () => {
    const ok = (params: unknown) =>
      parseRequest({ type: 'request', id: 1, method: 'updateSettings', params }).ok;
    expect(ok({ provider: 'cuda', threads: 8 })).toBe(true);
    expect(ok({ provider: 'dml' })).toBe(true);
    expect(ok({ provider: 'auto' })).toBe(true);
    expect(ok({ provider: 'magic' })).toBe(false);
    expect(ok({ threads: -1 })).toBe(false);
    expect(ok({ threads: 2.5 })).toBe(false);
    expect(ok({ packDirs: 'not-a-list' })).toBe(false);
    expect(ok({ packDirs: Array.from({ length: 33 }, (_, i) => `/p/${i}`) })).toBe(false);
    expect(ok({ colour: 'red' })).toBe(false);
  });

  it('take new pack folders only from the dialog', () => {
    const g = new SettingsGuard(['/packs/saved']);
    expect(g.check({ packDirs: ['/packs/saved'] })).toBeNull();
    expect(g.check({ threads: 4 })).toBeNull();
    expect(g.check({ packDirs: ['/packs/saved', '/home/user/.ssh'] })?.code).toBe('bad-request');
    g.allow('/packs/picked');
    expect(g.withPackDir('/packs/picked')).toEqual({ packDirs: ['/packs/saved', abs('/packs/picked')] });
    expect(g.check({ packDirs: ['/packs/picked'] })).toBeNull();
  });

  it('follow the engine: folders it reports become known, malformed answers are ignored', () => {
    const g = new SettingsGuard([]);
    g.observe('hello', { settings: { packDirs: ['/packs/x'], activePack: '', provider: 'cpu', threads: 0 } });
    expect(g.check({ packDirs: ['/packs/x'] })).toBeNull();
    g.observe('updateSettings', { packDirs: 'garbage' });
    g.observe('hello', null);
    expect(g.withPackDir('/packs/x')).toEqual({ packDirs: [abs('/packs/x')] });
  });
});
