// Smoke test of the desktop app through Playwright's Electron driver: build, launch, the window and its
// preload bridge, open the sample, segment it (engine in the utility process), the title. Runs only
// where an Electron binary exists (offline installs have none; see build/README.md); elsewhere it
// reports itself skipped, with the reason in its name and in the skip note.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectron } from '../scripts/start.mjs';
import { artifactPath, REPO, startXvfb } from './harness.ts';

const electron = findElectron() as { ok: true; exe: string } | { ok: false; why: string };
const name = electron.ok
  ? 'electron smoke: window, window.fsam3d, open a sample, segment, title'
  : `electron smoke (skipped: no Electron binary: ${electron.why})`;

describe('desktop app (Electron)', () => {
  it(name, async (ctx) => {
    if (!electron.ok) {
      console.warn(
        `electron smoke skipped: no Electron binary (${electron.why}); ` +
          'to run it: node node_modules/electron/install.js, or ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-dist',
      );
      return ctx.skip(`no Electron binary: ${electron.why}`);
    }
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
      cwd: REPO,
      stdio: 'pipe',
      shell: process.platform === 'win32',
    });
    const userData = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-e2e-electron-'));
    const xvfb = await startXvfb();
    // userData (settings, window state, the single-instance lock) stays in the temp folder: the
    // --user-data-dir switch below and, on Linux, XDG_CONFIG_HOME as well.
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: userData,
      ...(xvfb ? { DISPLAY: xvfb.display } : {}),
    } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    const app = await _electron.launch({
      executablePath: electron.exe,
      args: ['.', '--no-sandbox', `--user-data-dir=${userData}`],
      cwd: REPO,
      env,
      timeout: 90_000,
    });
    try {
      const win = await app.firstWindow({ timeout: 60_000 });
      await win.waitForFunction(() => 'fsam3d' in window, undefined, { timeout: 30_000 });
      expect(
        await win.evaluate(() => Object.keys((window as unknown as { fsam3d: object }).fsam3d).sort()),
      ).toEqual(['invoke', 'onEvent']);
      await win.locator('[data-testid=engine-status][data-status=ready]').waitFor({ timeout: 60_000 });
      await win.getByTestId('samples-menu').click();
      await win.locator('.menu-item[data-testid=open-sample][data-sample=test]').click();
      const photo = win.getByTestId('photo-canvas');
      await photo.waitFor();
      const box = (await photo.boundingBox())!;
      await photo.click({ position: { x: box.width * 0.23, y: box.height * 0.58 } });
      await win.getByTestId('mask-info').waitFor({ timeout: 30_000 });
      expect(await win.title()).toBe('Fast-SAM3D Studio');
      const used = await app.evaluate(({ app: a }) => a.getPath('userData'));
      if (process.platform === 'linux') expect(used.startsWith(userData)).toBe(true);
      await win.screenshot({ path: artifactPath('electron.png') });
    } finally {
      await app.close();
      xvfb?.stop();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
