import { describe, expect, it } from 'vitest';
import type { StudioObject } from '../store/types';
import { maskArea, renderMasks } from './mask-render';

function obj(id: string, color: string, data: number[], w: number, h: number): StudioObject {
  return {
    id,
    name: id,
    color,
    points: [],
    mask: { data: new Uint8Array(data), width: w, height: h, source: 'clicks', method: 't' },
    maskVersion: 1,
    undo: [],
    activeRunId: null,
    segmentSeq: 0,
    segmentingSince: null,
  };
}

describe('mask overlay', () => {
  // 5×5 with a 3×3 block in the middle: the centre pixel is fill, the ring is outline.
  const block = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0];

  it('fills translucent, outlines opaque, leaves the rest clear', () => {
    const px = renderMasks([obj('a', '#ff0000', block, 5, 5)], 'a', 5, 5);
    const alpha = (x: number, y: number) => px[(y * 5 + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(1, 1)).toBe(255);
    expect(alpha(2, 2)).toBeGreaterThan(0);
    expect(alpha(2, 2)).toBeLessThan(255);
    expect(px[(2 * 5 + 2) * 4]).toBe(255); // red
  });

  it('unselected objects are fainter; masks of another size are skipped', () => {
    const px = renderMasks([obj('a', '#00ff00', block, 5, 5), obj('b', '#0000ff', [1], 1, 1)], 'x', 5, 5);
    expect(px[(1 * 5 + 1) * 4 + 3]).toBeLessThan(255);
    expect(maskArea(new Uint8Array(block))).toBe(9);
  });
});
