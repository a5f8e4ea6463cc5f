// The studio end to end in real Chromium, browser mode: the built renderer served by the web server, the
// engine in a supervised child process. One page walks through the whole flow, so the tests of this file
// run in order and share it: open the sample, click the object, compare full vs fast-sam3d, export a
// GLB, cancel a run, survive an engine crash. Screenshots go to test-results/e2e/ (git-ignored).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALLOW_MISSING,
  artifactPath,
  atProgress,
  chromiumProblem,
  launchChromium,
  REPO,
  startStudio,
  until,
  type Studio,
} from './harness.ts';

const SAMPLE = 'test';

let studio: Studio;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

/** A pixel inside the sample's object: the middle of the widest row of its reference mask. */
async function objectPixel(): Promise<{ x: number; y: number; width: number; height: number }> {
  const file = path.join(REPO, 'resources', 'samples', SAMPLE, 'mask.png');
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  let best = { y: 0, x0: 0, n: 0 };
  for (let y = 0; y < info.height; y++) {
    let n = 0;
    let x0 = -1;
    for (let x = 0; x < info.width; x++)
      if (data[y * info.width + x] >= 128) {
        if (x0 < 0) x0 = x;
        n++;
      }
    if (n > best.n) best = { y, x0, n };
  }
  return { x: best.x0 + Math.floor(best.n / 2), y: best.y, width: info.width, height: info.height };
}

/** Pixels clearly brighter than the viewer's dark background and grid, in the middle of `el`. */
async function brightPixels(el: Locator): Promise<number> {
  const png = await el.screenshot();
  const img = sharp(png);
  const { width = 0, height = 0 } = await img.metadata();
  const { data, info } = await img
    .extract({
      left: Math.round(width * 0.25),
      top: Math.round(height * 0.2),
      width: Math.round(width * 0.5),
      height: Math.round(height * 0.55),
    })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < info.width * info.height; i++)
    if (Math.max(data[i * 3], data[i * 3 + 1], data[i * 3 + 2]) > 90) n++;
  return n;
}

const byTestId = (id: string) => page.getByTestId(id);
const text = async (id: string) => ((await byTestId(id).textContent()) ?? '').trim();
const historyRows = (status?: string) =>
  page.locator(`[data-testid=history-row]${status ? `[data-status=${status}]` : ''}`);
const lastCall = (method: string) => studio.calls.filter((c) => c.method === method).at(-1);
const shot = (name: string) => page.screenshot({ path: artifactPath(name) });

/** What the viewer shows: its title and mesh size, read from the DOM. */
async function viewerState() {
  return {
    hasMesh: await byTestId('viewer-canvas').getAttribute('data-has-mesh'),
    title: await text('viewer-title'),
    vertices: await text('stat-vertices'),
    faces: await text('stat-faces'),
  };
}

async function engineReady(): Promise<void> {
  await page.locator('[data-testid=engine-status][data-status=ready]').waitFor();
}

const problem = chromiumProblem();
const describeBrowser = problem && ALLOW_MISSING ? describe.skip : describe;

describeBrowser(
  `studio in Chromium (browser mode)${problem && ALLOW_MISSING ? ` (skipped: ${problem})` : ''}`,
  () => {
    beforeAll(async () => {
      browser = await launchChromium(); // fails with the reason when there is no Chromium
      studio = await startStudio();
      page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
      page.setDefaultTimeout(60_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
    });

    afterAll(async () => {
      await browser?.close();
      await studio?.close();
    });

    beforeEach(({ task, onTestFailed }) => {
      onTestFailed(async () => {
        await page?.screenshot({ path: artifactPath(`failed-${task.name.replace(/\W+/g, '-')}.png`) });
      });
    });

    it('loads with the token, removes it from the address bar and connects to the engine', async () => {
      await page.goto(studio.url);
      await engineReady();
      expect(page.url()).not.toContain('token=');
      expect(await text('engine-status')).toMatch(/nano/i); // the shipped default pack
    });

    it('opens the sample; a click on the object makes a mask', async () => {
      await byTestId('samples-menu').click();
      await page.locator(`.menu-item[data-testid=open-sample][data-sample=${SAMPLE}]`).click();
      const photo = byTestId('photo-canvas');
      await photo.waitFor();
      const p = await objectPixel();
      expect(await photo.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(p.width);
      expect(await byTestId('run-button').isDisabled()).toBe(true); // no mask yet

      const box = (await photo.boundingBox())!;
      await photo.click({
        position: { x: ((p.x + 0.5) / p.width) * box.width, y: ((p.y + 0.5) / p.height) * box.height },
      });
      await byTestId('mask-info').waitFor();
      expect(await text('mask-info')).toMatch(/^mask [\d.]+ %/);
      expect(Number(/mask ([\d.]+)/.exec(await text('mask-info'))![1])).toBeGreaterThan(0);
      // The overlay (photo resolution) is painted at the clicked pixel and only on part of the photo.
      const overlay = await byTestId('mask-overlay').evaluate((c: HTMLCanvasElement, at) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
        return { painted, total: c.width * c.height, atClick: d[(at.y * c.width + at.x) * 4 + 3] };
      }, p);
      expect(overlay.atClick).toBeGreaterThan(0);
      expect(overlay.painted).toBeGreaterThan(0);
      expect(overlay.painted).toBeLessThan(overlay.total / 2);
      expect(lastCall('segment')?.outcome).toBe('ok');
      expect(await byTestId('run-button').isEnabled()).toBe(true);
      await shot('01-mask.png');
    });

    it('runs full and fast-sam3d; the compare view shows both meshes and the metrics', async () => {
      await byTestId('compare-full-vs-fast').click();
      await byTestId('compare-view').waitFor({ timeout: 90_000 });
      await expect.poll(() => historyRows('done').count()).toBe(2);
      expect(studio.calls.filter((c) => c.method === 'run').map((c) => c.outcome)).toEqual(['ok', 'ok']);

      const a = byTestId('compare-side-a');
      const b = byTestId('compare-side-b');
      expect(await a.locator('.side-label').textContent()).toContain('full');
      expect(await b.locator('.side-label').textContent()).toContain('fast-sam3d');
      // Metrics arrive after both runs: wait until every number is in.
      const ids = ['speedup', 'f1', 'cdL1', 'cdL2', 'vIoU', 'boxIoU'];
      await expect
        .poll(async () => (await Promise.all(ids.map((id) => text(`metric-${id}`)))).join(' '), {
          timeout: 30_000,
        })
        .toMatch(/^[\d.]+× [\d.]+ % [\d.]+ [\d.]+ [\d.]+ % [\d.]+ %$/);
      expect(lastCall('metrics')?.outcome).toBe('ok');
      await byTestId('timing-table').waitFor();
      expect(await byTestId('timing-table').textContent()).toMatch(/Total/);
      // Both WebGL views really drew a mesh (SwiftShader): plenty of bright pixels mid-canvas.
      await page.waitForTimeout(300);
      expect(await brightPixels(a.locator('canvas').first())).toBeGreaterThan(2000);
      expect(await brightPixels(b.locator('canvas').first())).toBeGreaterThan(2000);
      await shot('02-compare.png');
    });

    it('exports a GLB that gltf-validator accepts with 0 errors', async () => {
      const download = page.waitForEvent('download');
      await byTestId('export-glb').click();
      await byTestId('export-button').click();
      const d = await download;
      expect(d.suggestedFilename()).toMatch(/\.glb$/);
      const bytes = new Uint8Array(readFileSync((await d.path())!));
      writeFileSync(artifactPath('export.glb'), bytes);
      expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('glTF');
      const report = await validateBytes(bytes);
      const errors = report.issues.messages.filter((m) => m.severity === 0);
      expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
      expect(report.issues.numErrors).toBe(0);
      const json = JSON.parse(
        Buffer.from(bytes.subarray(20, 20 + new DataView(bytes.buffer).getUint32(12, true))).toString(),
      );
      const attrs = json.meshes[0].primitives[0].attributes;
      expect(Object.keys(attrs)).toEqual(expect.arrayContaining(['POSITION', 'COLOR_0']));
    });

    it('cancel: the run stops, the UI is ready again and the shown mesh does not change', async () => {
      await byTestId('workspace-edit').click();
      await byTestId('viewer-title').waitFor();
      const before = await viewerState();
      expect(before.hasMesh).toBe('true');
      const cancelledBefore = await historyRows('cancelled').count();

      // Freeze the worker in the middle of stage 1, so the cancel lands in a run that is truly running.
      const frozen = atProgress(studio, 'stage1', 2, (pid) => process.kill(pid, 'SIGSTOP'));
      await byTestId('run-button').click();
      const pid = await frozen;
      try {
        await page.locator('[data-testid=progress-stage][data-stage=stage1]').waitFor();
        const cancels = studio.calls.filter((c) => c.method === 'cancel').length;
        await byTestId('cancel-button').click();
        await until(() => studio.calls.filter((c) => c.method === 'cancel').length > cancels, 'the cancel');
        await new Promise((r) => setTimeout(r, 200)); // the supervisor posts it to the worker's pipe
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await byTestId('run-button').waitFor();
      await until(() => lastCall('run')?.outcome !== undefined, 'the run to end');
      expect(lastCall('run')?.outcome).toBe('cancelled');
      expect(lastCall('cancel')?.outcome).toBe('ok');
      expect(await historyRows('cancelled').count()).toBe(cancelledBefore + 1);
      expect(await byTestId('cancel-button').count()).toBe(0);
      await engineReady();
      expect(await viewerState()).toEqual(before);
      expect(await page.locator('[data-testid=toast][data-kind=error]').count()).toBe(0);
      expect(studio.supervisor.pid).toBe(pid); // no restart involved
      await shot('03-cancelled.png');
    });

    it('engine crash mid-run: banner, photo and earlier result kept, the next run works', async () => {
      const before = await viewerState();
      const done = await historyRows('done').count();
      const killed = atProgress(studio, 'stage1', 2, (pid) => process.kill(pid, 'SIGKILL'));
      await byTestId('run-button').click();
      const oldPid = await killed;

      const banner = byTestId('engine-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/SIGKILL/);
      await until(() => lastCall('run')?.outcome !== undefined, 'the run to fail');
      expect(lastCall('run')?.outcome).toBe('engine-crashed');
      expect(await historyRows('failed').count()).toBe(1);
      await engineReady();
      expect(studio.supervisor.pid).toBeDefined();
      expect(studio.supervisor.pid).not.toBe(oldPid);
      // The photo, its mask and the earlier result are still on screen.
      const img = byTestId('photo-canvas').locator('img');
      expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
      await byTestId('mask-info').waitFor();
      expect(await viewerState()).toEqual(before);
      expect(await brightPixels(byTestId('viewer-canvas'))).toBeGreaterThan(2000);
      await shot('04-crash-banner.png');

      // The restarted engine was given the photo back under the same id: a new run just works.
      await byTestId('run-button').click();
      await expect.poll(() => historyRows('done').count(), { timeout: 60_000 }).toBe(done + 1);
      expect(lastCall('run')?.outcome).toBe('ok');
      await byTestId('run-button').waitFor();
      expect((await viewerState()).hasMesh).toBe('true');
      await shot('05-after-restart.png');
    });

    it('the mask-guide switch turns the guide off for the next run, and the history says so', async () => {
      const done = await historyRows('done').count();
      const toggle = byTestId('mask-guide-switch');
      expect(await toggle.getAttribute('aria-checked')).toBe('true');
      await toggle.click();
      expect(await toggle.getAttribute('aria-checked')).toBe('false');
      await byTestId('run-button').click();
      await expect.poll(() => historyRows('done').count(), { timeout: 60_000 }).toBe(done + 1);
      expect(lastCall('run')?.outcome).toBe('ok');
      expect(await historyRows('done').filter({ hasText: 'no mask guide' }).count()).toBe(1);
      await toggle.click(); // back on, as a user would leave it
    });

    it('no page errors and no CSP violations along the way', () => {
      expect(pageErrors).toEqual([]);
      expect(consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
    });
  },
);
