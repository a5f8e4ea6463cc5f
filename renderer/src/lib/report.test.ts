import { describe, expect, it } from 'vitest';
import type { RunResult } from '../client/api';
import { silhouetteNote } from './report';

const run = (silhouette: unknown) => ({ report: { totalMs: 1, silhouette } }) as unknown as RunResult;

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

  it('is null for reports without the field (older engines, other packs)', () => {
    expect(silhouetteNote(run(undefined))).toBeNull();
    expect(silhouetteNote(null)).toBeNull();
  });
});
