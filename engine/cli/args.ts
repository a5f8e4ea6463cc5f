// Command-line parsing for `fsam3d`. Flags are validated here so a typo fails fast with exit code 2.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import { resolveStrategy, type Strategy } from '../accelerate/presets.ts';
import { PROVIDERS, type Provider } from '../pack/sessions.ts';
import { knobValues, strategyOptions, STRATEGY_USAGE } from './strategy-args.ts';

export type RunArgs = {
  image: string;
  mask: string;
  pack?: string;
  out: string;
  json?: string;
  ply?: string;
  seed: number;
  provider: Provider;
  threads?: number;
  faces?: number;
  weld: boolean;
  /** Put the predicted layout into the GLB node, placing the object in the camera frame. */
  place: boolean;
  /** Keep one network in memory at a time (large packs on small GPUs). */
  lowMemory: boolean;
  /** Field of view (degrees, long side) for the silhouette check; EXIF or 60° otherwise. */
  fov?: number;
  /** Fit the layout's image-plane offset and scale to the mask (engine/layout); on unless --no-layout-fit. */
  layoutFit: boolean;
  /** Edit stage 1's voxels by the mask (engine/geometry/mask-guide.ts); on unless --no-mask-guide. */
  maskGuide: boolean;
  quiet: boolean;
  strategy: Strategy;
};

export const RUN_USAGE = `usage: fsam3d run --image PHOTO --mask MASK [--pack DIR] [--out out.glb] [--json summary.json]
                  [--ply gaussians.ply] [--seed N] [--ep cpu|auto|cuda|dml|coreml|webgpu] [--threads N]
                  [--faces N] [--weld] [--place] [--low-memory] [--fov DEG] [--no-layout-fit]
                  [--no-mask-guide] [--quiet] [--preset NAME] [knob flags]
${STRATEGY_USAGE}`;

function intFlag(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min)
    throw new UserError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return Number(v);
}

function fovFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0 && n < 180))
    throw new UserError(`--fov must be degrees between 0 and 180 (exclusive), got "${v}"`);
  return n;
}

export function parseRunArgs(argv: string[]): RunArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        image: { type: 'string' },
        mask: { type: 'string' },
        pack: { type: 'string' },
        out: { type: 'string', default: 'out.glb' },
        json: { type: 'string' },
        ply: { type: 'string' },
        seed: { type: 'string', default: '0' },
        ep: { type: 'string', default: 'cpu' },
        threads: { type: 'string' },
        faces: { type: 'string' },
        weld: { type: 'boolean', default: false },
        place: { type: 'boolean', default: false },
        'low-memory': { type: 'boolean', default: false },
        fov: { type: 'string' },
        'no-layout-fit': { type: 'boolean', default: false },
        'no-mask-guide': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        preset: { type: 'string', default: 'full' },
        ...strategyOptions(),
      },
    }));
  } catch (e) {
    throw new UserError(`${(e as Error).message.split('\n')[0]}\n${RUN_USAGE}`);
  }
  if (!values.image) throw new UserError(`--image is required\n${RUN_USAGE}`);
  if (!values.mask) throw new UserError(`--mask is required\n${RUN_USAGE}`);
  const ep = values.ep as Provider;
  if (!PROVIDERS.includes(ep))
    throw new UserError(`--ep must be one of ${PROVIDERS.join(', ')}, got "${values.ep}"`);
  const out = values.out ?? 'out.glb';
  if (!out.toLowerCase().endsWith('.glb'))
    throw new UserError(`--out must name a .glb file, got "${values.out}"`);
  return {
    image: values.image,
    mask: values.mask,
    pack: values.pack,
    out,
    json: values.json,
    ply: values.ply,
    seed: intFlag('seed', values.seed, 0)!,
    provider: ep,
    threads: intFlag('threads', values.threads, 1),
    faces: intFlag('faces', values.faces, 4),
    weld: values.weld ?? false,
    place: values.place ?? false,
    lowMemory: values['low-memory'] ?? false,
    fov: fovFlag(values.fov),
    layoutFit: !values['no-layout-fit'],
    maskGuide: !values['no-mask-guide'],
    quiet: values.quiet ?? false,
    strategy: resolveStrategy(String(values.preset ?? 'full'), knobValues(values)),
  };
}
