// Main-window size, position and maximised flag, kept in userData/window-state.json. A saved
// position that no longer lands on any display (monitor unplugged) is dropped so the window opens
// centred instead of off-screen.
import { z } from 'zod';
import { readJsonSync, writeJson } from './json-store.ts';

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 560;

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(MIN_WIDTH).max(32768),
  height: z.number().int().min(MIN_HEIGHT).max(32768),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;
export type Rect = { x: number; y: number; width: number; height: number };

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false };

/** How much of the window (title-bar strip) must overlap a display for the position to be kept. */
const VISIBLE_PX = 64;

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Fits a saved state to the current displays' work areas (an empty list keeps it as is). */
export function fitToDisplays(state: WindowState, workAreas: Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.max(MIN_WIDTH, Math.min(state.width, maxW));
  const height = Math.max(MIN_HEIGHT, Math.min(state.height, maxH));
  const out: WindowState = { width, height, maximized: state.maximized };
  if (state.x !== undefined && state.y !== undefined) {
    const titleBar = { x: state.x, y: state.y, width, height: Math.min(height, VISIBLE_PX) };
    const visible = workAreas.some((a) => {
      const o = overlap(titleBar, a);
      return o.w >= Math.min(VISIBLE_PX, width) && o.h > 0;
    });
    if (visible) {
      out.x = state.x;
      out.y = state.y;
    }
  }
  return out;
}

export function loadWindowState(
  file: string,
  workAreas: Rect[],
  onProblem?: (message: string) => void,
): WindowState {
  return fitToDisplays(readJsonSync(file, WindowStateSchema, DEFAULT_WINDOW_STATE, onProblem), workAreas);
}

export function saveWindowState(file: string, state: WindowState): Promise<void> {
  return writeJson(file, WindowStateSchema.parse(state));
}

/** The parts of a BrowserWindow the tracker uses (a fake one in tests). */
export type TrackedWindow = {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
};

export function captureWindowState(win: TrackedWindow): WindowState {
  const b = win.getNormalBounds();
  return {
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.max(MIN_WIDTH, Math.round(b.width)),
    height: Math.max(MIN_HEIGHT, Math.round(b.height)),
    maximized: win.isMaximized(),
  };
}

/**
 * Saves the window's state after it stops moving or resizing (debounced) and once more on close.
 * Returns a function that saves immediately (used by tests and on quit).
 */
export function trackWindowState(
  win: TrackedWindow,
  file: string,
  opts: { debounceMs?: number; onError?: (err: unknown) => void } = {},
): () => Promise<void> {
  const debounceMs = opts.debounceMs ?? 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: WindowState | undefined;
  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!win.isDestroyed()) last = captureWindowState(win);
    if (last) await saveWindowState(file, last).catch(opts.onError);
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    if (!win.isDestroyed()) last = captureWindowState(win);
    timer = setTimeout(() => void flush(), debounceMs);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev, schedule);
  win.on('close', () => void flush());
  return flush;
}
