// The optional pose.cameraFovDeg field: the canonical camera a pack's layout is predicted in.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { loadPack } from './load.ts';
import { ManifestSchema } from './manifest.ts';

const TEST_PACK = fileURLToPath(new URL('../../resources/packs/test', import.meta.url));
const raw = JSON.parse(readFileSync(path.join(TEST_PACK, 'manifest.json'), 'utf8')) as {
  pose: Record<string, unknown>;
};
const withFov = (v: unknown) => ({ ...raw, pose: { ...raw.pose, cameraFovDeg: v } });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('manifest pose.cameraFovDeg', () => {
  it('is optional: absent means a metric / camera-agnostic layout', () => {
    const m = ManifestSchema.parse(raw);
    expect(m.pose.cameraFovDeg).toBeUndefined();
    expect(ManifestSchema.parse(withFov(60)).pose.cameraFovDeg).toBe(60);
    expect(ManifestSchema.parse(withFov(1)).pose.cameraFovDeg).toBe(1);
    expect(ManifestSchema.parse(withFov(179)).pose.cameraFovDeg).toBe(179);
  });

  it('rejects values outside 1–179 degrees and non-numbers', () => {
    for (const v of [0, 0.5, 179.5, 180, -60, '60', null, Number.NaN]) {
      const r = ManifestSchema.safeParse(withFov(v));
      expect(r.success, String(v)).toBe(false);
      expect(r.error!.issues[0].path).toEqual(['pose', 'cameraFovDeg']);
    }
  });

  it('loading a pack with a bad value fails with one line naming the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fsam3d-fov-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(withFov(200)));
    expect(() => loadPack(dir)).toThrow(UserError);
    expect(() => loadPack(dir)).toThrow(
      /manifest\.json field "pose\.cameraFovDeg": need a field of view between 1 and 179 degrees \(across the long side\)$/,
    );
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(withFov('wide')));
    expect(() => loadPack(dir)).toThrow(
      /field "pose\.cameraFovDeg": need a number: degrees of field of view/,
    );
  });
});
