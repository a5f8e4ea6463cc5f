// The initial guess of the object for GrabCut: which pixels start as "probably foreground". GrabCut
// learns its two colour models from this guess and re-decides every pixel but the click seeds, so the
// guess needs the object's colours (all its shades and pattern colours) and few background ones; a
// tiny guess around the click teaches it only one shade of a shaded object, which is what the user
// then gets back.
//
// The rules, on the working copy's perceptual features (colour.ts: Lab, lightness weighted down):
//
// 1. Edges. A pixel is on an edge where its smoothed colour gradient exceeds `edgeTolerance` per
//    pixel (mask-ops edgeMap). Shading and highlights are gradual: no edges. Contours are.
// 2. The object where it meets the frame. Two regions of a positive click: its smooth region (flood
//    through non-edge pixels) and its own-colour region (connected pixels within `ownColourTolerance`
//    of the click's colour). Each region that covers at most `maxFrameShare` of the image border is
//    the object cut by the frame there; one that covers more has leaked into the background and is
//    ignored.
// 3. Background seeds: the negative clicks' seeds, and border pixels that are neither in such a region
//    nor on an edge (a contour meeting the frame is ambiguous).
// 4. Competition. Each pixel goes to the nearer of the positive seeds and the background seeds by
//    geodesic distance (mask-ops geodesicCompete): a step costs 1 + (colour step / σ)², and entering
//    an edge pixel costs `edgeCost` × (w + h) more, i.e. more than any walk without edges. So the
//    click claims everything it reaches without crossing a contour (the whole shaded ball, its
//    highlight and its dark side), and the frame keeps the background; where a contour has a gap,
//    the two meet half-way.
// 5. Texture. A striped or dotted object is many small regions separated by edges, and the frame is
//    as close to its outer stripes as the click is. A pattern element is a thin smooth region: no
//    pixel in it farther than `textureRadius` from an edge. When a click lies on one, the pixels
//    whose colour appears nowhere on the frame (farther than `novelTolerance` from every frame
//    colour: not background) and that are edge pixels or in pattern elements join the guess where
//    they connect to it through such pixels (the edge pixels only next to a joined element: the
//    blends between stripes, not the outline of a plain neighbour). A plain object touching the
//    clicked one is a thick region and does not join; a click on a plain object grows nothing. The
//    growth is dropped if it would cover more than `maxTextureShare` of the image.
import { novelColours } from './colour.ts';
import {
  boxSmooth3,
  colourRegion,
  dilate,
  edgeMap,
  floodToEdges,
  geodesicCompete,
  keepComponentsWith,
  thinRegions,
} from './mask-ops.ts';

export interface InitParams {
  /** Least smoothed colour gradient (feature units per pixel) of an edge pixel. */
  edgeTolerance: number;
  /** Colour tolerance (feature distance) of a positive click's own-colour region (rule 2). */
  ownColourTolerance: number;
  /** Largest share of the border a click's region may cover and still count as the object (rule 2). */
  maxFrameShare: number;
  /** Colour scale of the competition, in multiples of the median colour step (rule 4). */
  initBeta: number;
  /** Cost of entering an edge pixel, in multiples of w + h (rule 4). */
  edgeCost: number;
  /** Width of the frame whose colours are background, as a fraction of the long side (rule 5). */
  frameWidth: number;
  /** Least feature distance from every frame colour of a novel colour (rule 5). */
  novelTolerance: number;
  /** Widest pattern element: largest distance to an edge, as a fraction of the long side (rule 5). */
  textureRadius: number;
  /** Largest share of the image the texture growth may cover (rule 5). */
  maxTextureShare: number;
}

/**
 * The initial object guess (0/1 per working pixel) for the positive seeds `posSeeds` (pixel indices)
 * and clicks `posClicks` ({x, y}), against the negative seeds; `blocked` pixels (negative seed
 * regions) never join it.
 */
export function initialObject(
  feat: Uint8Array,
  w: number,
  h: number,
  posSeeds: number[],
  posClicks: { x: number; y: number }[],
  negSeeds: number[],
  blocked: Uint8Array,
  p: InitParams,
): Uint8Array {
  const n = w * h;
  const isBorder = (i: number) => {
    const x = i % w;
    const y = (i - x) / w;
    return x === 0 || y === 0 || x === w - 1 || y === h - 1;
  };
  const borderCount = 2 * (w + h) - 4;
  const borderShare = (m: Uint8Array) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (m[i] && isBorder(i)) c++;
    return c / Math.max(1, borderCount);
  };

  // Rule 1.
  const edges = edgeMap(feat, w, h, p.edgeTolerance);

  // Rule 2.
  const own = new Uint8Array(n);
  const flood = floodToEdges(edges, w, h, posSeeds, blocked);
  if (borderShare(flood) <= p.maxFrameShare) for (let i = 0; i < n; i++) own[i] |= flood[i];
  const colour = new Uint8Array(n);
  for (const c of posClicks)
    for (const q of colourRegion(feat, w, h, c.x, c.y, w + h, p.ownColourTolerance, blocked)) colour[q] = 1;
  if (borderShare(colour) <= p.maxFrameShare) for (let i = 0; i < n; i++) own[i] |= colour[i];

  // Rule 3.
  const bgSeeds = [...negSeeds];
  for (let i = 0; i < n; i++) if (isBorder(i) && !own[i] && !edges[i] && !blocked[i]) bgSeeds.push(i);

  // Rule 4.
  const all = new Uint8Array(n).fill(1);
  const label = geodesicCompete(
    boxSmooth3(feat, w, h),
    w,
    h,
    all,
    posSeeds,
    bgSeeds,
    p.initBeta,
    edges,
    p.edgeCost * (w + h),
  );
  const guess = new Uint8Array(n);
  for (let i = 0; i < n; i++) guess[i] = label[i] === 1 && !blocked[i] ? 1 : 0;

  // Rule 5, only for clicks on a pattern element: a click on a plain object does not take a
  // patterned neighbour along.
  const thin =
    p.novelTolerance > 0
      ? thinRegions(edges, w, h, Math.max(1, p.textureRadius * Math.max(w, h)))
      : undefined;
  const patternSeeds = thin ? posSeeds.filter((i) => thin[i]) : [];
  if (thin && patternSeeds.length) {
    const fw = Math.max(1, Math.round(p.frameWidth * Math.max(w, h)));
    const frame = new Uint8Array(n);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if ((x < fw || y < fw || x >= w - fw || y >= h - fw) && !own[i]) frame[i] = 1;
      }
    const novel = novelColours(feat, frame, p.novelTolerance);
    const walk = new Uint8Array(n);
    for (let i = 0; i < n; i++) walk[i] = blocked[i] ? 0 : guess[i] | (novel[i] & (edges[i] | thin[i]));
    const reach = keepComponentsWith(walk, w, h, patternSeeds, true);
    // Joined: the reached non-edge pixels, and the reached edge pixels within 2 px of one (the
    // blends between stripes), not the edge band around a plain neighbouring object.
    const inner = new Uint8Array(n);
    for (let i = 0; i < n; i++) inner[i] = reach[i] && !edges[i] ? 1 : 0;
    const near = dilate(inner, w, h, 2);
    let count = 0;
    for (let i = 0; i < n; i++) {
      reach[i] = reach[i] && (!edges[i] || near[i]) ? 1 : 0;
      count += reach[i] | guess[i];
    }
    if (count <= p.maxTextureShare * n) for (let i = 0; i < n; i++) guess[i] |= reach[i];
  }
  return guess;
}
