// scripts/eval-summary.ts merges bench results into the model card's tables: failed inputs count as 0,
// targets are counted per input, and speed-ups are paired with full on the same input.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadResults, markdown, perInput, summarise } from '../scripts/eval-summary.ts';

const row = (input: string, strategy: string, totalMs: number, vIoU: number, f1: number, sil: number) => ({
  input,
  strategy,
  totalMs,
  speedup: 1,
  vsFull: { f1: strategy === 'full' ? 100 : 90 },
  vsTruth: { vIoU, f1 },
  output: { silhouetteIoU: sil, closed: 1, coloured: 1 },
});

describe('eval-summary', () => {
  const results = {
    rows: [
      row('a', 'full', 4000, 0.6, 70, 0.9),
      row('a', 'fast-sam3d', 1000, 0.5, 65, 0.86),
      row('b', 'full', 6000, 0.2, 40, 0.8),
      row('b', 'fast-sam3d', 3000, 0.1, 30, 0.7),
    ],
    failed: [{ input: 'c', error: 'stage 1 produced no occupied voxels' }],
  };
  const [full, fast] = summarise(results);

  it('counts a failed input as zero in every quality column', () => {
    expect(full.inputs).toBe(3);
    expect(full.failed).toBe(1);
    expect(full.vIoU.mean).toBeCloseTo(0.8 / 3, 10);
    expect(full.vIoU.median).toBeCloseTo(0.2, 10);
    expect(full.closedColoured).toBe(2);
    expect(full.meeting.vIoU).toBeCloseTo(1 / 3, 10);
    expect(full.meeting.silhouette).toBeCloseTo(1 / 3, 10);
  });

  it('pairs speed-ups with full on the same input', () => {
    expect(full.vsFull).toBeUndefined();
    expect(fast.vsFull!.speedup.mean).toBeCloseTo((4 + 2) / 2, 10);
    expect(fast.vsFull!.f1).toBe(90);
    expect(fast.seconds.max).toBe(3);
  });

  it('leaves ground-truth columns empty when no input has ground truth', () => {
    const [r] = summarise({ rows: results.rows.map(({ vsTruth: _, ...r }) => r).slice(0, 1) });
    expect(Number.isNaN(r.vIoU.mean)).toBe(true);
    expect(markdown([r])).toContain('| – / – |');
  });

  it('merges results files, dropping the bench mean rows, and lists inputs side by side', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fsam3d-eval-'));
    try {
      const [a, b] = [path.join(dir, 'a.json'), path.join(dir, 'b.json')];
      writeFileSync(
        a,
        JSON.stringify({ rows: [...results.rows.slice(0, 2), row('mean', 'full', 1, 1, 1, 1)] }),
      );
      writeFileSync(b, JSON.stringify({ rows: results.rows.slice(2), failed: results.failed }));
      const merged = loadResults([a, b]);
      expect(merged.rows.map((r) => r.input)).toEqual(['a', 'a', 'b', 'b']);
      expect(summarise(merged)[0].inputs).toBe(3);
      const table = perInput(merged).split('\n');
      expect(table).toHaveLength(4); // header, rule, a, b
      expect(table[2]).toMatch(/^\| a \| – \| 0\.900 \(0\.900\) \| yes \| 4\.0 \| – \| 0\.860/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
