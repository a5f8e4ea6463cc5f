import { describe, expect, it } from 'vitest';
import { novelColours, perceptualFeatures } from './colour.ts';
import {
  closeMask,
  colourRegion,
  dilate,
  edgeMap,
  erode,
  fillHoles,
  floodToEdges,
  geodesicCompete,
  geodesicSplit,
  keepComponentsWith,
  maskIoU,
  thinRegions,
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

  it('edges: a shading ramp has none, a step has a band; the flood stops at the band', () => {
    // 24×6 grey image: a ramp of 2 per pixel over x < 12, then a step of 60.
    const w = 24;
    const h = 6;
    const px = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) px.fill(x < 12 ? 40 + 2 * x : 130, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const edges = edgeMap(px, w, h, 6);
    const row = show(edges, w)[3];
    expect(row.slice(0, 9)).toBe('.........');
    expect(row.slice(10, 14)).toBe('####');
    expect(row.slice(16)).toBe('........');
    const flood = floodToEdges(edges, w, h, [3 * w]);
    const firstEdge = row.indexOf('#');
    expect(show(flood, w)[3]).toBe('#'.repeat(firstEdge) + '.'.repeat(w - firstEdge));
  });

  it('geodesic competition: entering an edge pixel costs edgeCost, so a walk without edges wins', () => {
    // One row: positive seed at 0, negative at 19, an edge pixel at 15; colours all equal.
    const w = 20;
    const px = new Uint8Array(w * 3);
    const edges = new Uint8Array(w);
    edges[15] = 1;
    const all = new Uint8Array(w).fill(1);
    const plain = geodesicCompete(px, w, 1, all, [0], [19], 2);
    expect([...plain].map((v) => (v > 0 ? '+' : '-')).join('')).toBe('++++++++++----------');
    const walled = geodesicCompete(px, w, 1, all, [0], [19], 2, edges, 100);
    // The edge pixel itself goes to the nearer side.
    expect([...walled].map((v) => (v > 0 ? '+' : '-')).join('')).toBe('+++++++++++++++-----');
  });

  it('thin regions: stripes between edges are thin, a wide plain area is not', () => {
    const {
      m: edges,
      w,
      h,
    } = grid([
      '#..#..#.........',
      '#..#..#.........',
      '#..#..#.........',
      '#..#..#.........',
      '#..#..#.........',
    ]);
    expect(show(thinRegions(edges, w, h, 2), w)[2]).toBe('.##.##..........');
    expect(show(thinRegions(edges, w, h, 20), w)[2]).toBe('.##.##.#########');
  });

  it('dilation and erosion by one pixel (the border does not erode)', () => {
    const { m, w, h } = grid(['.....', '.###.', '.###.', '.###.', '.....']);
    expect(show(erode(m, w, h, 1), w)).toEqual(['.....', '.....', '..#..', '.....', '.....']);
    expect(show(dilate(erode(m, w, h, 1), w, h, 1), w)).toEqual([
      '.....',
      '.###.',
      '.###.',
      '.###.',
      '.....',
    ]);
    const full = new Uint8Array(9).fill(1);
    expect([...erode(full, 3, 3, 1)]).toEqual([...full]);
  });
});

describe('perceptual features', () => {
  it('Lab with the lightness weighted down: white, black, grey have no chroma; red and blue do', () => {
    const rgb = new Uint8Array([255, 255, 255, 0, 0, 0, 119, 119, 119, 255, 0, 0, 0, 0, 255]);
    const f = perceptualFeatures(rgb, { lightnessWeight: 0.5, scale: 1.25 });
    expect([...f.subarray(0, 3)]).toEqual([63, 128, 135]); // L 100 → 0.5·100·1.25 = 62.5
    expect([...f.subarray(3, 6)]).toEqual([0, 128, 135]);
    expect(f[6]).toBe(31); // L* of sRGB 119 is about 50
    expect(f[10]).toBeGreaterThan(200); // red: a* ≈ 80
    expect(f[14]).toBeLessThan(10); // blue: b* ≈ −108 (clamped at 0)
  });

  it('novel colours: those far from every frame colour', () => {
    const feat = new Uint8Array([10, 100, 100, 12, 104, 100, 60, 160, 40, 10, 100, 100]);
    const frame = new Uint8Array([1, 0, 0, 0]);
    expect([...novelColours(feat, frame, 8)]).toEqual([0, 0, 1, 0]);
  });
});
