import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addRecent, MAX_RECENT, RecentFiles, removeRecent } from './recent-files.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-recent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recent files list', () => {
  it('puts the newest first, without duplicates, at most MAX_RECENT', () => {
    let list = addRecent([], '/p/a.png', 1);
    list = addRecent(list, '/p/b.png', 2);
    list = addRecent(list, '/p/a.png', 3);
    expect(list.map((e) => [e.name, e.openedAt])).toEqual([
      ['a.png', 3],
      ['b.png', 2],
    ]);
    for (let i = 0; i < 20; i++) list = addRecent(list, `/p/${i}.jpg`, 10 + i);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0].name).toBe('19.jpg');
  });

  it('treats paths case-insensitively on Windows and macOS only', () => {
    const list = addRecent([], 'C:\\Photos\\Cat.png', 1, { platform: 'win32' });
    expect(addRecent(list, 'c:\\photos\\cat.PNG', 2, { platform: 'win32' })).toHaveLength(1);
    const linux = addRecent([], '/p/Cat.png', 1, { platform: 'linux' });
    expect(addRecent(linux, '/p/cat.png', 2, { platform: 'linux' })).toHaveLength(2);
    expect(removeRecent(linux, '/p/Cat.png', 'linux')).toEqual([]);
  });

  it('persists, and mirrors additions and clearing to the OS list', async () => {
    const file = path.join(dir, 'recent-files.json');
    const addToOs = vi.fn();
    const clearOs = vi.fn();
    const onChange = vi.fn();
    const r = new RecentFiles({ file, addToOs, clearOs, onChange, now: () => 42 });
    await r.add('/photos/a.png');
    await r.add('/photos/b.png');
    expect(addToOs).toHaveBeenCalledWith('/photos/b.png');
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(new RecentFiles({ file }).list().map((e) => e.path)).toEqual(['/photos/b.png', '/photos/a.png']);
    await r.remove('/photos/b.png');
    expect(new RecentFiles({ file }).list().map((e) => e.name)).toEqual(['a.png']);
    await r.clear();
    expect(clearOs).toHaveBeenCalledOnce();
    expect(new RecentFiles({ file }).list()).toEqual([]);
  });
});
