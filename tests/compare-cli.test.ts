// `fsam3d compare` and `fsam3d bench` on the bundled pack: table, files and ground-truth columns.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { SAMPLE_MASK, SAMPLE_PHOTO, TEST_PACK } from './support/paths.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'fsam3d-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The tiny test pack keeps these fast; the shipped default pack has its own test.
const cli = (argv: string[]) => runCli([...argv, '--pack', TEST_PACK]);

describe('fsam3d compare / bench', () => {
  it('compare prints the table and writes JSON, CSV, the Pareto plot and GLBs', async () => {
    const outDir = path.join(dir, 'cmp');
    const { code, out } = await cli([
      'compare',
      '--image',
      SAMPLE_PHOTO,
      '--mask',
      SAMPLE_MASK,
      '--strategies',
      'fast-sam3d,taylorseer',
      '--out-dir',
      outDir,
      '--glb',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/strategy\s+stage1 ms\s+stage2 ms.*F1@0\.05\s+vIoU\s+3D-IoU/);
    expect(out).toMatch(/^photo\s+full\s.*1\.00×\s+44\s+38\s.*100\.0\s+1\.000\s+1\.000\s/m);
    expect(out).toMatch(/^photo\s+fast-sam3d\s.*\s17\s/m);
    expect(out).toMatch(/timings: single run each/);
    const json = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    expect(json.rows.map((r: { strategy: string }) => r.strategy)).toEqual([
      'full',
      'fast-sam3d',
      'taylorseer',
    ]);
    expect(json.rows[1].evaluations.stage1).toBe(17);
    expect(readFileSync(path.join(outDir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
    const png = await sharp(path.join(outDir, 'pareto.png')).metadata();
    expect(png.format).toBe('png');
    expect(existsSync(path.join(outDir, 'photo.fast-sam3d.glb'))).toBe(true);
  });

  it('bench runs every input of a folder, scores against ground truth and adds mean rows', async () => {
    const inputs = path.join(dir, 'inputs');
    const outDir = path.join(dir, 'bench');
    // Ground truth: the full run's own mesh, so F1 vs GT of `full` must be 100.
    expect(
      (
        await cli([
          'compare',
          '--image',
          SAMPLE_PHOTO,
          '--mask',
          SAMPLE_MASK,
          '--strategies',
          'full',
          '--out-dir',
          path.join(dir, 'gt'),
          '--glb',
        ])
      ).code,
    ).toBe(0);
    mkdirSync(inputs, { recursive: true });
    for (const name of ['a', 'b']) {
      copyFileSync(SAMPLE_PHOTO, path.join(inputs, `${name}.png`));
      copyFileSync(SAMPLE_MASK, path.join(inputs, `${name}.mask.png`));
    }
    copyFileSync(path.join(dir, 'gt', 'photo.full.glb'), path.join(inputs, 'a.gt.glb'));
    // A sample folder as in resources/samples counts as an input too.
    mkdirSync(path.join(inputs, 'c'));
    copyFileSync(SAMPLE_PHOTO, path.join(inputs, 'c', 'photo.png'));
    copyFileSync(SAMPLE_MASK, path.join(inputs, 'c', 'mask.png'));
    copyFileSync(path.join(dir, 'gt', 'photo.full.glb'), path.join(inputs, 'c', 'gt.glb'));
    const { code, out } = await cli([
      'bench',
      '--inputs',
      inputs,
      '--strategies',
      'full,fast-sam3d',
      '--repeat',
      '2',
      '--out-dir',
      outDir,
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/F1 vs GT/);
    expect(out).toMatch(/F1 vs GT\s+vIoU vs GT\s+sil IoU\s+closed\s+coloured$/m);
    expect(out).toMatch(/^a\s+full\s.*100\.0\s+1\.000\s+0\.\d{3}\s+[01]\.00\s+[01]\.00$/m);
    expect(out).toMatch(/^c\s+full\s.*100\.0\s+1\.000\s/m);
    expect(out).toMatch(/^mean\s+fast-sam3d\s/m);
    const rows = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')).rows;
    expect(rows.filter((r: { strategy: string }) => r.strategy === 'full')).toHaveLength(4); // a, b, c, mean
    for (const r of rows) expect(r.output.silhouetteIoU).toBeGreaterThanOrEqual(0);
    expect(out).toMatch(/median of 2 interleaved repeats/);
  });

  it('bench reports an input that fails and keeps the others', async () => {
    const inputs = path.join(dir, 'inputs-failing');
    mkdirSync(inputs, { recursive: true });
    copyFileSync(SAMPLE_PHOTO, path.join(inputs, 'good.png'));
    copyFileSync(SAMPLE_MASK, path.join(inputs, 'good.mask.png'));
    writeFileSync(path.join(inputs, 'broken.png'), 'not a png');
    copyFileSync(SAMPLE_MASK, path.join(inputs, 'broken.mask.png'));
    const outDir = path.join(dir, 'bench-failing');
    const { code, out } = await cli([
      'bench',
      '--inputs',
      inputs,
      '--strategies',
      'full',
      '--repeat',
      '1',
      '--out-dir',
      outDir,
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/^good\s+full\s/m);
    expect(out).toMatch(/^failed \(left out of the means\): broken: /m);
    const json = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    expect(json.failed.map((f: { input: string }) => f.input)).toEqual(['broken']);
    expect(json.rows.map((r: { input: string }) => r.input)).toEqual(['good']);
  });

  it('rejects a bad strategy list with exit 2', async () => {
    const { code } = await cli([
      'compare',
      '--image',
      SAMPLE_PHOTO,
      '--mask',
      SAMPLE_MASK,
      '--strategies',
      'full,warp-speed',
    ]);
    expect(code).toBe(2);
  });
});
