import { describe, expect, it } from 'vitest';
import {
  closeMask,
  colourRegion,
  fillHoles,
  geodesicSplit,
  keepComponentsWith,
  maskIoU,
} from './mask-ops.ts';

/** Parses rows of '.'/'#' into a mask. */
function grid(rows: string[]): { m: Uint8Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const m = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (m[y * w + x] = c === '#' ? 1 : 0)));
  return { m, w, h };
}
const show = (m: Uint8Array, w: number) =>
  Array.from({ length: m.length / w }, (_, y) =>
    [...m.subarray(y * w, (y + 1) * w)].map((v) => (v ? '#' : '.')).join(''),
  );

describe('mask operations', () => {
  it('keeps the 8-connected components that contain a seed', () => {
    const { m, w, h } = grid(['##...', '.#..#', '...##', '#....']);
    expect(show(keepComponentsWith(m, w, h, [0]), w)).toEqual(['##...', '.#...', '.....', '.....']);
    expect(show(keepComponentsWith(m, w, h, [9, 15]), w)).toEqual(['.....', '....#', '...##', '#....']);
  });

  it('fills holes except those holding a kept-open pixel; border regions are not holes', () => {
    const { m, w, h } = grid(['#####..', '#..##..', '#####..', '##.#...', '#####..']);
    expect(show(fillHoles(m.slice(), w, h), w)).toEqual([
      '#####..',
      '#####..',
      '#####..',
      '####...',
      '#####..',
    ]);
    expect(show(fillHoles(m.slice(), w, h, [8]), w)).toEqual([
      '#####..',
      '#..##..',
      '#####..',
      '####...',
      '#####..',
    ]);
  });

  it('closing joins a one-pixel seam but not across the excluded pixels', () => {
    const { m, w, h } = grid(['......', '.####.', '......', '.####.', '......']);
    expect(show(closeMask(m, w, h), w)).toEqual(['......', '.####.', '.####.', '.####.', '......']);
    const ex = new Uint8Array(w * h);
    ex[2 * w + 2] = 1;
    expect(show(closeMask(m, w, h, ex), w)[2]).toBe('.#.##.');
  });

  it('geodesic split: a negative seed takes the part beyond a colour edge', () => {
    const w = 20;
    const h = 5;
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb[(y * w + x) * 3] = x < 14 ? 200 : 170;
    const fg = new Uint8Array(w * h).fill(1);
    const out = geodesicSplit(fg, rgb, w, h, [2 * w + 1], [2 * w + 18], 2);
    // Without the edge the split would fall half-way (x ≈ 9.5); the colour step moves it to x = 14.
    for (let y = 0; y < h; y++) expect(show(out, w)[y]).toBe('##############......');
  });

  it('colour region: gated by colour and radius, blocked pixels are not entered', () => {
    const w = 9;
    const h = 1;
    const rgb = new Uint8Array([10, 10, 10, 10, 10, 90, 10, 10, 10].flatMap((v) => [v, v, v]));
    expect(colourRegion(rgb, w, h, 1, 0, 10, 20).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(colourRegion(rgb, w, h, 1, 0, 2, 20).sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    const blocked = new Uint8Array(w);
    blocked[3] = 1;
    expect(colourRegion(rgb, w, h, 1, 0, 10, 20, blocked).sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });

  it('IoU', () => {
    expect(maskIoU(new Uint8Array([1, 1, 0, 0]), new Uint8Array([1, 0, 1, 0]))).toBeCloseTo(1 / 3);
    expect(maskIoU(new Uint8Array(3), new Uint8Array(3))).toBe(1);
  });
});
