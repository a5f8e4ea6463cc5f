// The studio window: restored size/position, secure webPreferences, shown once painted.
import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security.ts';
import { MIN_HEIGHT, MIN_WIDTH, type WindowState } from './window-state.ts';

export const APP_NAME = 'Fast-SAM3D Studio';

export function mainWindowOptions(
  state: WindowState,
  preload: string,
  dev: boolean,
): BrowserWindowConstructorOptions {
  return {
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: APP_NAME,
    show: false,
    backgroundColor: '#15171c',
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(preload, dev),
  };
}
