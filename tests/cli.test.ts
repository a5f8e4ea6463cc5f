// `fsam3d run` end to end through main(): bad inputs each get their own one-line message and exit 2,
// odd-but-valid inputs work, and no output file is left behind by a failed run.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../engine/cli/main.ts';
import { SAMPLE_MASK, SAMPLE_PHOTO, TEST_PACK } from './support/paths.ts';

let dir: string;
const f = (name: string) => path.join(dir, name);

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    const code = await main(argv);
    return { code, err: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

// The tiny test pack keeps these fast (a later --pack in `extra` wins); the shipped default pack is run in
// tests/nano-pack.test.ts.
const run = (image: string, mask: string, ...extra: string[]) =>
  cli('run', '--pack', TEST_PACK, '--image', image, '--mask', mask, '--out', f('out.glb'), '--quiet', ...extra);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fsam3d-cli-'));
  const { width, height } = await sharp(SAMPLE_PHOTO).metadata();
  const w = width!;
  const h = height!;
  const head = new Uint8Array(readFileSync(SAMPLE_PHOTO).subarray(0, 40));
  writeFileSync(f('corrupt.png'), new Uint8Array([...head, ...new Uint8Array(64)]));
  writeFileSync(f('notes.txt'), 'this is not an image\n');
  await sharp({ create: { width: w + 3, height: h, channels: 3, background: '#ffffff' } })
    .png()
    .toFile(f('mask-size.png'));
  await sharp({ create: { width: w, height: h, channels: 3, background: '#000000' } })
    .png()
    .toFile(f('mask-empty.png'));
  const tiny = Buffer.alloc(w * h);
  tiny[5 * w + 5] = 255; // a single pixel: bounding box 0×0
  await sharp(tiny, { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toFile(f('mask-tiny.png'));
  // Soft mask: 0..255 ramps; thresholding at 50 % must still give the object.
  const soft = await sharp(SAMPLE_MASK).greyscale().raw().toBuffer();
  await sharp(Buffer.from(soft.map((v) => (v > 127 ? 200 : 40))), {
    raw: { width: w, height: h, channels: 1 },
  })
    .png()
    .toFile(f('mask-soft.png'));
  await sharp(SAMPLE_PHOTO).toColourspace('rgb16').png().toFile(f('photo16.png'));
  await sharp(SAMPLE_PHOTO).greyscale().png().toFile(f('photo-grey.png'));
  await sharp(SAMPLE_PHOTO).ensureAlpha(0.5).png().toFile(f('photo-rgba.png'));
  // Stored sideways with EXIF orientation 6: decoded upright it matches the mask again.
  await sharp(SAMPLE_PHOTO).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toFile(f('photo-exif.jpg'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fsam3d run: bad input', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['missing image', () => [f('nope.png'), SAMPLE_MASK], /image not found/i],
    ['corrupt image', () => [f('corrupt.png'), SAMPLE_MASK], /cannot decode image/i],
    ['unsupported format', () => [f('notes.txt'), SAMPLE_MASK], /unsupported|cannot decode image/i],
    ['mask size differs', () => [SAMPLE_PHOTO, f('mask-size.png')], /mask.*size|size.*mask/i],
    ['empty mask', () => [SAMPLE_PHOTO, f('mask-empty.png')], /empty/i],
    ['mask box under 2 px', () => [SAMPLE_PHOTO, f('mask-tiny.png')], /2 ?px|too small/i],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: exit 2 with one line, no output`, async () => {
      const { code, err } = await run(...(args() as [string, string]));
      expect(code).toBe(2);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(existsSync(f('out.glb'))).toBe(false);
    });
  }

  it('missing pack', async () => {
    const { code, err } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--pack', f('no-pack'));
    expect(code).toBe(2);
    expect(err).toMatch(/folder not found/);
  });

  it('corrupt manifest', async () => {
    const pack = f('pack-badjson');
    cpSync(TEST_PACK, pack, { recursive: true });
    writeFileSync(path.join(pack, 'manifest.json'), '{ "schema": ');
    const { code, err } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--pack', pack);
    expect(code).toBe(2);
    expect(err).toMatch(/manifest.json is not valid JSON/);
  });

  it('corrupt ONNX file', async () => {
    const pack = f('pack-corrupt');
    cpSync(TEST_PACK, pack, { recursive: true });
    writeFileSync(path.join(pack, 'ss_decoder.onnx'), 'garbage');
    const { code, err } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--pack', pack);
    expect(code).toBe(2);
    expect(err).toMatch(/ss_decoder.onnx is corrupt/);
  });

  it('ONNX graph whose shapes differ from the manifest', async () => {
    // Declare 4 latent channels everywhere in the manifest: the contract is satisfied, the graphs are not.
    const pack = f('pack-shape');
    cpSync(TEST_PACK, pack, { recursive: true });
    const m = JSON.parse(readFileSync(path.join(pack, 'manifest.json'), 'utf8'));
    m.ss.latentChannels = 4;
    for (const stage of ['ss_denoiser', 'ss_decoder']) {
      for (const t of [...m.stages[stage].inputs, ...m.stages[stage].outputs]) {
        if (t.name === 'x_shape' || t.name === 'v_shape' || t.name === 'shape_latent') t.shape[2] = 4;
      }
    }
    writeFileSync(path.join(pack, 'manifest.json'), JSON.stringify(m));
    const { code, err } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--pack', pack);
    expect(code).toBe(2);
    expect(err).toMatch(
      /ss_denoiser.onnx input "x_shape" has shape \[.*\] in the graph, manifest says \[B,64,4\]/,
    );
  });

  it('manifest that breaks the contract names file, tensor and mismatch', async () => {
    const pack = f('pack-contract');
    cpSync(TEST_PACK, pack, { recursive: true });
    const m = JSON.parse(readFileSync(path.join(pack, 'manifest.json'), 'utf8'));
    m.stages.slat_denoiser.inputs.find((t: { name: string }) => t.name === 'nbr').shape = ['N', 26];
    writeFileSync(path.join(pack, 'manifest.json'), JSON.stringify(m));
    const { code, err } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--pack', pack);
    expect(code).toBe(2);
    expect(err).toMatch(/slat_denoiser.onnx input "nbr": manifest says \[N,26\], contract expects \[N,27\]/);
  });

  it('unknown flag and bad values', async () => {
    expect((await cli('run', '--image', 'a', '--mask', 'b', '--bogus')).code).toBe(2);
    const ep = await cli('run', '--image', 'a', '--mask', 'b', '--ep', 'tpu');
    expect(ep.code).toBe(2);
    expect(ep.err).toMatch(/--ep must be one of/);
    expect((await cli('run', '--image', 'a', '--mask', 'b', '--threads', '0')).err).toMatch(
      /--threads must be/,
    );
    expect((await cli('frobnicate')).code).toBe(2);
  });
});

describe('fsam3d run: unusual but valid input', () => {
  const ok: [string, () => [string, string]][] = [
    ['16-bit PNG', () => [f('photo16.png'), SAMPLE_MASK]],
    ['greyscale photo', () => [f('photo-grey.png'), SAMPLE_MASK]],
    ['RGBA photo', () => [f('photo-rgba.png'), SAMPLE_MASK]],
    ['EXIF-rotated JPEG', () => [f('photo-exif.jpg'), SAMPLE_MASK]],
    ['non-binary mask (thresholded at 50 %)', () => [SAMPLE_PHOTO, f('mask-soft.png')]],
  ];
  for (const [name, args] of ok) {
    it(`${name}: exit 0 and a GLB`, async () => {
      rmSync(f('out.glb'), { force: true });
      const { code, err } = await run(...args());
      expect(err).not.toMatch(/error/i);
      expect(code).toBe(0);
      expect(readFileSync(f('out.glb')).subarray(0, 4).toString()).toBe('glTF');
    });
  }

  it('writes the JSON summary with the documented fields', async () => {
    const { code } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--json', f('summary.json'), '--seed', '7');
    expect(code).toBe(0);
    const s = JSON.parse(readFileSync(f('summary.json'), 'utf8'));
    expect(s.seed).toBe(7);
    expect(s.pack.id).toBe('test-tiny');
    expect(s.evaluations).toEqual({ stage1: 44, stage2: 38 });
    expect(s.provider.used.ss_denoiser).toBe('cpu');
    expect(s.mesh.faces).toBeGreaterThan(0);
    expect(s.pose.quaternion).toHaveLength(4);
    expect(s.silhouette).toMatchObject({ fovDeg: 60, fovSource: 'default' });
    expect(s.timings.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['preprocess', 'stage1', 'stage2', 'decode']),
    );
  });

  it('a GPU provider that is not available falls back to CPU with a warning', async () => {
    const { code, err } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--ep', 'cuda', '--json', f('cuda.json'));
    expect(code).toBe(0);
    expect(err).toMatch(/execution provider "cuda" is not available here/);
    expect(JSON.parse(readFileSync(f('cuda.json'), 'utf8')).provider.used.ss_denoiser).toBe('cpu');
  });

  it('--ply writes the Gaussians as a 3DGS PLY (the test pack has a Gaussian decoder)', async () => {
    const { code } = await run(SAMPLE_PHOTO, SAMPLE_MASK, '--ply', f('splats.ply'), '--json', f('ply.json'));
    expect(code).toBe(0);
    const ply = readFileSync(f('splats.ply'));
    const header = ply.subarray(0, ply.indexOf('end_header') + 11).toString();
    const voxels = JSON.parse(readFileSync(f('ply.json'), 'utf8')).tokens.voxels;
    expect(header).toMatch(/^ply\nformat binary_little_endian 1.0\n/);
    expect(header).toContain(`element vertex ${voxels * 4}`); // 4 Gaussians per voxel in the test pack
    for (const field of ['f_dc_0', 'opacity', 'scale_2', 'rot_3'])
      expect(header).toContain(`property float ${field}`);
  });

  it('--place puts the predicted layout in the GLB node; without it the node is identity', async () => {
    const { NodeIO } = await import('@gltf-transform/core');
    const matrixOf = async (file: string) =>
      (await new NodeIO().read(file)).getRoot().listNodes()[0].getMatrix();
    expect((await run(SAMPLE_PHOTO, SAMPLE_MASK, '--out', f('placed.glb'), '--place')).code).toBe(0);
    expect((await run(SAMPLE_PHOTO, SAMPLE_MASK, '--out', f('plain.glb'))).code).toBe(0);
    const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    expect(await matrixOf(f('plain.glb'))).toEqual(identity);
    expect(await matrixOf(f('placed.glb'))).not.toEqual(identity);
  });

  it('does not touch an existing output when the run fails', async () => {
    copyFileSync(SAMPLE_PHOTO, f('out.glb'));
    const before = readFileSync(f('out.glb'));
    const { code } = await run(SAMPLE_PHOTO, f('mask-empty.png'));
    expect(code).toBe(2);
    expect(readFileSync(f('out.glb')).equals(before)).toBe(true);
    rmSync(f('out.glb'));
  });
});
