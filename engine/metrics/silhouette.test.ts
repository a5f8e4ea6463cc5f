import { describe, expect, it } from 'vitest';
import type { Pose } from '../geometry/pose.ts';
import { matrixToQuaternion, rot6dToMatrix } from '../geometry/pose.ts';
import { exifFocal35mm } from '../image/exif.ts';
import { icosphere } from './test-shapes.ts';
import {
  DEFAULT_FOV_DEG,
  cameraFromFov,
  fovFromFocal35mm,
  maskIoU,
  projectPoints,
  rasterizeSilhouette,
  resolveCamera,
  silhouetteIoU,
  type PinholeCamera,
} from './silhouette.ts';

const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const pose = (rotation: number[], scale: number, translation: [number, number, number]): Pose => ({
  rotation,
  quaternion: matrixToQuaternion(rotation),
  scale,
  translation,
});

/** Exact silhouette of a camera-frame sphere: pixel centres whose ray makes an angle < asin(r/|c|) with c. */
function sphereMask(cam: PinholeCamera, c: [number, number, number], r: number): Uint8Array {
  const out = new Uint8Array(cam.width * cam.height);
  const dist = Math.hypot(...c);
  const cosA = Math.sqrt(1 - (r / dist) ** 2);
  for (let j = 0; j < cam.height; j++)
    for (let i = 0; i < cam.width; i++) {
      const d = [(cam.cx - (i + 0.5)) / cam.fx, (cam.cy - (j + 0.5)) / cam.fy, 1];
      const cos = (d[0] * c[0] + d[1] * c[1] + d[2] * c[2]) / (Math.hypot(d[0], d[1], d[2]) * dist);
      out[j * cam.width + i] = cos > cosA ? 1 : 0;
    }
  return out;
}

/** Bounding box (u0, v0, u1, v1) of a mask's pixels, inclusive. */
function bbox(mask: Uint8Array, w: number): [number, number, number, number] {
  let u0 = Infinity,
    v0 = Infinity,
    u1 = -Infinity,
    v1 = -Infinity;
  mask.forEach((m, k) => {
    if (!m) return;
    const u = k % w,
      v = Math.floor(k / w);
    u0 = Math.min(u0, u);
    u1 = Math.max(u1, u);
    v0 = Math.min(v0, v);
    v1 = Math.max(v1, v);
  });
  return [u0, v0, u1, v1];
}

/** Minimal JPEG: SOI, APP1 Exif with IFD0 → Exif IFD holding FocalLengthIn35mmFilm (0xA405, SHORT), EOI. */
function jpegWithFocal35(f35: number): Buffer {
  const tiff: number[] = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]; // big endian, IFD0 at 8
  const u16 = (v: number) => [(v >> 8) & 255, v & 255];
  const u32 = (v: number) => [(v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255];
  // IFD0: 1 entry (ExifIFDPointer 0x8769, LONG) -> Exif IFD at 8 + 2 + 12 + 4 = 26
  tiff.push(...u16(1), ...u16(0x8769), ...u16(4), ...u32(1), ...u32(26), ...u32(0));
  // Exif IFD: 1 entry (0xA405, SHORT, 1, value left-justified)
  tiff.push(...u16(1), ...u16(0xa405), ...u16(3), ...u32(1), ...u16(f35), 0, 0, ...u32(0));
  const payload = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
  const app1 = [0xff, 0xe1, ...u16(payload.length + 2), ...payload];
  return Buffer.from([0xff, 0xd8, ...app1, 0xff, 0xd9]);
}

describe('camera', () => {
  it('puts the long-side field of view on the long side', () => {
    const cam = cameraFromFov(200, 100, 90);
    expect(cam.fx).toBeCloseTo(100, 10); // tan(45°) = 1: half the long side
    expect(cam.fy).toBe(cam.fx);
    expect([cam.cx, cam.cy]).toEqual([100, 50]);
    expect(cameraFromFov(100, 200, 90).fx).toBeCloseTo(100, 10);
  });

  it('defaults to 60°, honours the override over EXIF, reads EXIF FocalLengthIn35mmFilm', () => {
    expect(DEFAULT_FOV_DEG).toBe(60);
    expect(resolveCamera(300, 200).fovSource).toBe('default');
    const jpeg = jpegWithFocal35(26);
    expect(exifFocal35mm(jpeg)).toBe(26);
    expect(exifFocal35mm(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined();
    const exif = resolveCamera(300, 200, { focal35mm: exifFocal35mm(jpeg) });
    expect(exif.fovSource).toBe('exif');
    expect(exif.fovDeg).toBeCloseTo((2 * Math.atan(18 / 26) * 180) / Math.PI, 9); // 3:2: long side = 36 mm
    expect(resolveCamera(300, 200, { focal35mm: 26, fovDeg: 45 })).toMatchObject({
      fovDeg: 45,
      fovSource: 'override',
    });
    // 4:3: the diagonal equivalence gives 21.63·0.8 = 17.3 mm half width
    expect(fovFromFocal35mm(26, 4000, 3000)).toBeCloseTo(
      (2 * Math.atan(((Math.hypot(36, 24) / 2) * 0.8) / 26) * 180) / Math.PI,
      9,
    );
  });
});

describe('projection frames', () => {
  it('x left and y up: a point left/up of the axis lands left of/above the centre', () => {
    const cam = cameraFromFov(100, 100, 90); // f = 50
    const p = projectPoints([1, 0, 5, 0, 1, 5, 0, 0, 3], cam);
    expect([p[0], p[1]]).toEqual([40, 50]); // u = 50 − 50·1/5
    expect([p[3], p[4]]).toEqual([50, 40]); // v = 50 − 50·1/5
    expect([p[6], p[7], p[8]]).toEqual([50, 50, 3]);
  });

  it('composes with applyPose: p·scale·R + t', () => {
    // R from rot6d columns b1 = (0,1,0), b2 = (−1,0,0): canonical x ↦ row 0 of R.
    const R = rot6dToMatrix([0, 1, 0, -1, 0, 0]);
    const res = silhouetteIoU({
      mesh: { vertices: new Float32Array([0.5, 0, 0, 0.5, 0.01, 0, 0.5, 0, 0.01]), faces: [0, 1, 2] },
      pose: pose(R, 2, [0, 0, 4]),
      mask: new Uint8Array(100 * 100),
      width: 100,
      height: 100,
      fovDeg: 90,
    });
    // p = (0.5,0,0)·2·R = (1,0,0)·R = first row of R = (b1.x, b2.x, b3.x) = (0, −1, 0): straight down.
    expect(R.slice(0, 3)).toEqual([0, -1, 0]);
    expect(res.camera.fx).toBeCloseTo(50, 10);
    // projected to (50, 50 + 50/4) = (50, 62.5): tiny triangle, no pixel centre covered, nothing clipped
    expect(res.clippedFaces).toBe(0);
  });
});

describe('rasterizeSilhouette', () => {
  it('fills a square exactly by pixel centres, both windings', () => {
    const cam = cameraFromFov(10, 10, 90); // f = 5, centre (5,5)
    // square spanning u in [2,6], v in [3,8] at z = 1: x = (cx − u)/f, y = (cy − v)/f
    const X = (u: number) => (5 - u) / 5,
      Y = (v: number) => (5 - v) / 5;
    const verts = [X(2), Y(3), 1, X(6), Y(3), 1, X(6), Y(8), 1, X(2), Y(8), 1];
    for (const faces of [
      [0, 1, 2, 0, 2, 3],
      [0, 2, 1, 0, 3, 2],
    ]) {
      const { mask } = rasterizeSilhouette(verts, faces, cam);
      let n = 0;
      mask.forEach((m) => (n += m));
      expect(n).toBe(4 * 5);
      expect(bbox(mask, 10)).toEqual([2, 3, 5, 7]);
    }
  });

  it('skips and counts triangles behind the camera', () => {
    const cam = cameraFromFov(10, 10, 90);
    const r = rasterizeSilhouette([0, 0, -1, 1, 0, -1, 0, 1, -1], [0, 1, 2], cam);
    expect(r.clipped).toBe(1);
    expect(r.mask.every((m) => m === 0)).toBe(true);
  });
});

describe('silhouetteIoU', () => {
  const sphere = icosphere(4, 0.5); // canonical radius 0.5; an inscribed polytope (radius ≥ 0.4997 at faces)

  it('an on-axis sphere projects to the analytic disc f·r/√(z²−r²)', () => {
    const W = 160,
      H = 120;
    const cam = cameraFromFov(W, H, 60);
    const r = 0.5 * 1.5,
      z = 6;
    const res = silhouetteIoU({
      mesh: sphere,
      pose: pose(identity, 1.5, [0, 0, z]),
      mask: sphereMask(cam, [0, 0, z], r),
      width: W,
      height: H,
      fovDeg: 60,
    });
    expect(res.iou).toBeGreaterThan(0.97);
    const rad = (cam.fx * r) / Math.sqrt(z * z - r * r);
    const area = Math.PI * rad * rad;
    expect(Math.abs(res.renderedPixels - area) / area).toBeLessThan(0.04);
    const [u0, v0, u1, v1] = bbox(res.rendered, W);
    expect(Math.abs((u0 + u1 + 1) / 2 - W / 2)).toBeLessThanOrEqual(0.5);
    expect(Math.abs((v0 + v1 + 1) / 2 - H / 2)).toBeLessThanOrEqual(0.5);
  });

  it('an off-axis sphere (left, up) lands top-left; a mirrored frame would not match', () => {
    const W = 200,
      H = 150;
    const cam = cameraFromFov(W, H, 50);
    const c: [number, number, number] = [0.9, 0.5, 5];
    const R = rot6dToMatrix([0.3, -0.2, 0.9, 0.1, 1, 0.4]); // any rotation: a sphere does not care
    const mask = sphereMask(cam, c, 0.5);
    const res = silhouetteIoU({ mesh: sphere, pose: pose(R, 1, c), mask, width: W, height: H, camera: cam });
    expect(res.iou).toBeGreaterThan(0.96);
    const [u0, v0, u1, v1] = bbox(res.rendered, W);
    expect((u0 + u1) / 2).toBeLessThan(W / 2 - 20); // left
    expect((v0 + v1) / 2).toBeLessThan(H / 2 - 10); // up
    const mirrored = silhouetteIoU({
      mesh: sphere,
      pose: pose(R, 1, [-c[0], -c[1], c[2]]),
      mask,
      width: W,
      height: H,
      camera: cam,
    });
    expect(mirrored.iou).toBe(0);
    // a wrong field of view moves and resizes the disc
    const wrongFov = silhouetteIoU({
      mesh: sphere,
      pose: pose(R, 1, c),
      mask,
      width: W,
      height: H,
      fovDeg: 70,
    });
    expect(wrongFov.iou).toBeLessThan(0.7);
  });

  it('checks the mask size and computes plain IoU', () => {
    expect(() =>
      silhouetteIoU({
        mesh: sphere,
        pose: pose(identity, 1, [0, 0, 3]),
        mask: new Uint8Array(5),
        width: 4,
        height: 4,
      }),
    ).toThrow(/expected 4×4/);
    expect(maskIoU([1, 1, 0, 0], [0, 255, 255, 0])).toBeCloseTo(1 / 3, 12);
    expect(maskIoU([0, 0], [0, 0])).toBe(1);
  });
});
