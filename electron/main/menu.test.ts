import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuActions } from './menu.ts';

const actions = (): MenuActions => ({
  openPhoto: vi.fn(),
  openRecent: vi.fn(),
  clearRecent: vi.fn(),
  importMask: vi.fn(),
  exportGlb: vi.fn(),
  addPackFolder: vi.fn(),
  openSettings: vi.fn(),
  undo: vi.fn(),
  about: vi.fn(),
  openDocs: vi.fn(),
});

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}
const click = (i: MenuItemConstructorOptions | undefined) => (i?.click as () => void)();

describe('application menu', () => {
  it('has the File, Edit, View and Help entries and wires them', () => {
    const a = actions();
    const items = flatten(
      buildMenuTemplate({
        dev: false,
        platform: 'linux',
        appName: 'Fast-SAM3D Studio',
        actions: a,
        recent: [],
      }),
    );
    const byLabel = (l: string) => items.find((i) => i.label === l);
    for (const l of [
      'Open Photo…',
      'Open Recent',
      'Import Mask…',
      'Export GLB…',
      'Quit',
      'Undo',
      'Documentation',
    ])
      expect(byLabel(l), l).toBeDefined();
    expect(items.some((i) => i.role === 'togglefullscreen')).toBe(true);
    click(byLabel('Open Photo…'));
    click(byLabel('Export GLB…'));
    click(byLabel('Undo'));
    click(byLabel('About Fast-SAM3D Studio'));
    expect(a.openPhoto).toHaveBeenCalledOnce();
    expect(a.exportGlb).toHaveBeenCalledOnce();
    expect(a.undo).toHaveBeenCalledOnce();
    expect(a.about).toHaveBeenCalledOnce();
    expect(byLabel('No Recent Photos')?.enabled).toBe(false);
  });

  it('offers reload and DevTools in development only', () => {
    const roles = (dev: boolean) =>
      flatten(
        buildMenuTemplate({ dev, platform: 'linux', appName: 'X', actions: actions(), recent: [] }),
      ).map((i) => i.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('reload');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('lists recent photos by name (escaping mnemonics) and opens them by path', () => {
    const a = actions();
    const items = flatten(
      buildMenuTemplate({
        dev: false,
        platform: 'win32',
        appName: 'X',
        actions: a,
        recent: [{ path: 'C:\\p\\cats & dogs.png', name: 'cats & dogs.png', openedAt: 1 }],
      }),
    );
    const entry = items.find((i) => i.label === 'cats && dogs.png');
    click(entry);
    expect(a.openRecent).toHaveBeenCalledWith('C:\\p\\cats & dogs.png');
    click(items.find((i) => i.label === 'Clear Recent'));
    expect(a.clearRecent).toHaveBeenCalledOnce();
  });
});
