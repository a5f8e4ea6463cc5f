import { describe, expect, it } from 'vitest';
import type { RunResult } from '../client/api';
import { silhouetteNote } from './report';

const run = (silhouette: unknown, voxels?: unknown) =>
  ({ report: { totalMs: 1, silhouette, voxels } }) as unknown as RunResult;

describe('silhouetteNote', () => {
  it('says whether the layout was fitted and gives the network layout IoU', () => {
    expect(
      silhouetteNote(
        run({ iou: 0.85, iouPredicted: 0.667, layoutFit: { shiftPx: [1, 2], scaleFactor: 0.9 } }),
      ),
    ).toBe('layout fitted to the mask; 66.7 % as the network placed it');
    expect(silhouetteNote(run({ iou: 0.5, iouPredicted: 0.5, layoutFit: null }))).toMatch(
      /^network layout \(50\.0 %\)/,
    );
  });

  it("adds the mask guide's edits when it changed stage 1's voxels", () => {
    const sil = { iou: 0.85, iouPredicted: 0.667, layoutFit: null };
    const guide = (applied: boolean) => ({ maskGuide: { applied, carved: 12, added: 30, layoutIoU: 0.8 } });
    expect(silhouetteNote(run(sil, guide(true)))).toMatch(/; mask guide: 12 voxels carved, 30 added$/);
    expect(silhouetteNote(run(sil, guide(false)))).not.toMatch(/mask guide/);
    expect(silhouetteNote(run(sil, { maskGuide: null }))).not.toMatch(/mask guide/);
  });

  it('is null for reports without the field (older engines, other packs)', () => {
    expect(silhouetteNote(run(undefined))).toBeNull();
    expect(silhouetteNote(null)).toBeNull();
  });
});
