import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
  trackWindowState,
  type Rect,
} from './window-state.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-ws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const screen: Rect[] = [{ x: 0, y: 0, width: 2560, height: 1400 }];

describe('window state', () => {
  it('round-trips through userData JSON', async () => {
    const file = path.join(dir, 'a', 'window-state.json');
    const state = { x: 120, y: 80, width: 1600, height: 1000, maximized: true };
    await saveWindowState(file, state);
    expect(loadWindowState(file, screen)).toEqual(state);
    expect(readdirSync(path.dirname(file))).toEqual(['window-state.json']); // no temp file left
  });

  it('falls back to defaults for a missing, damaged or hand-edited file', () => {
    expect(loadWindowState(path.join(dir, 'none.json'), screen)).toEqual(DEFAULT_WINDOW_STATE);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"width": 1200, "heig');
    const problems: string[] = [];
    expect(loadWindowState(bad, screen, (m) => problems.push(m))).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(bad, JSON.stringify({ width: 'wide', height: 900, maximized: false }));
    expect(loadWindowState(bad, screen, (m) => problems.push(m))).toEqual(DEFAULT_WINDOW_STATE);
    expect(problems).toHaveLength(2);
  });

  it('drops a position that is on no display any more and shrinks to the largest display', () => {
    const offscreen = { x: 5000, y: 200, width: 1600, height: 1000, maximized: false };
    expect(fitToDisplays(offscreen, screen)).toEqual({ width: 1600, height: 1000, maximized: false });
    const huge = { x: 0, y: 0, width: 8000, height: 5000, maximized: false };
    expect(fitToDisplays(huge, screen)).toMatchObject({ width: 2560, height: 1400 });
    const second: Rect[] = [...screen, { x: 2560, y: 0, width: 1920, height: 1080 }];
    expect(fitToDisplays({ ...offscreen, x: 3000 }, second)).toMatchObject({ x: 3000, y: 200 });
  });

  it('is saved when the window moves (debounced) and when it closes', async () => {
    const file = path.join(dir, 'tracked.json');
    const win = Object.assign(new EventEmitter(), {
      bounds: { x: 10, y: 20, width: 1300, height: 850 },
      max: false,
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.max;
      },
      isDestroyed: () => false,
    });
    const flush = trackWindowState(win, file, { debounceMs: 10_000 });
    win.bounds = { x: 30, y: 40, width: 1400, height: 900 };
    win.emit('move');
    win.max = true;
    win.emit('maximize');
    await flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      x: 30,
      y: 40,
      width: 1400,
      height: 900,
      maximized: true,
    });
  });
});
