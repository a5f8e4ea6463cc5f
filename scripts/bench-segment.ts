// Benchmark of the click segmenter on a synthetic 1-megapixel photo (1000×1000):
//   npx tsx scripts/bench-segment.ts [--runs N] [--side PX] [--iterations N]
// Prints the OpenCV.js load time, the cold first call and the warm calls (median, min, max) in ms,
// with the IoU against the true shape. Target: warm ≤ 300 ms per click on 1 MP.
import { segmentByClicks, maskIoU, opencvLoadMs, type ClickPoint } from '../engine/segment/index.ts';
import type { RgbImage } from '../engine/segment/types.ts';
import {
  SVG_DEFS,
  makeScene,
  makeSvgScene,
  shadedBallSvg,
  shapeMask,
  stripedBoxSvg,
  type Shape,
} from '../engine/segment/test-scenes.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const runs = arg('runs', 10);
const grabcut = {
  ...(process.argv.includes('--side') ? { workSide: arg('side', 256) } : {}),
  ...(process.argv.includes('--iterations') ? { iterations: arg('iterations', 3) } : {}),
};

const W = 1000;
const H = 1000;
const disc: Shape = { kind: 'disc', cx: 430, cy: 470, r: 190, colour: [205, 60, 45] };
const rect: Shape = { kind: 'rect', x0: 610, y0: 300, x1: 900, y1: 620, colour: [215, 75, 50] };

const ball: Shape = { kind: 'disc', cx: 430, cy: 470, r: 260, colour: [0, 0, 0] };
const stripes: Shape = { kind: 'rect', x0: 250, y0: 200, x1: 750, y1: 760, colour: [0, 0, 0] };

const cases: { name: string; scene: () => Promise<RgbImage>; points: ClickPoint[]; truth: Shape }[] = [
  {
    name: 'disc, 1 positive click',
    scene: () => makeScene(W, H, [disc]),
    points: [{ x: 430, y: 470, positive: true }],
    truth: disc,
  },
  {
    name: 'disc + touching rect, +1 -1',
    scene: () => makeScene(W, H, [disc, rect]),
    points: [
      { x: 430, y: 470, positive: true },
      { x: 800, y: 460, positive: false },
    ],
    truth: disc,
  },
  {
    name: 'shaded ball with highlight, 1 click on the highlight',
    scene: () =>
      makeSvgScene(
        W,
        H,
        `${SVG_DEFS}<rect width="${W}" height="${H}" fill="url(#sky)"/>${shadedBallSvg(430, 470, 260)}`,
      ),
    points: [{ x: 352, y: 380, positive: true }],
    truth: ball,
  },
  {
    name: 'striped box, 1 click',
    scene: () =>
      makeSvgScene(
        W,
        H,
        `${SVG_DEFS}<rect width="${W}" height="${H}" fill="url(#wall)"/>${stripedBoxSvg(250, 200, 500, 560)}`,
      ),
    points: [{ x: 500, y: 480, positive: true }],
    truth: stripes,
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const c of cases) {
  const image = await c.scene();
  const truth = shapeMask(c.truth, W, H);
  const t0 = performance.now();
  const first = await segmentByClicks(image, c.points, { grabcut });
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh pixel array each time, so the per-photo downscale cache does not help the warm figure.
    const copy = { ...image, rgb: image.rgb.slice() };
    const t = performance.now();
    await segmentByClicks(copy, c.points, { grabcut });
    warm.push(performance.now() - t);
  }
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await segmentByClicks(image, c.points, { grabcut });
    cached.push(performance.now() - t);
  }
  console.log(
    `${c.name}: method ${first.method}, IoU ${maskIoU(first.mask, truth).toFixed(4)}; ` +
      `cold ${cold.toFixed(0)} ms (OpenCV.js load ${opencvLoadMs()?.toFixed(0)} ms); ` +
      `warm new photo median ${median(warm).toFixed(0)} ms [${Math.min(...warm).toFixed(0)}–${Math.max(...warm).toFixed(0)}]; ` +
      `warm same photo median ${median(cached).toFixed(0)} ms [${Math.min(...cached).toFixed(0)}–${Math.max(...cached).toFixed(0)}]`,
  );
}
