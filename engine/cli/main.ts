// `fsam3d` entry point. Exit codes: 0 ok, 2 bad input (one-line reason), 1 internal error.
// Outputs are written atomically, so a failed run never leaves a partial file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError, UserError } from '../errors.ts';
import { atomicWrite, gaussiansToPly, writeGlb } from '../export/index.ts';
import { loadPack } from '../pack/load.ts';
import { runPipeline } from '../pipeline.ts';
import { parseRunArgs, RUN_USAGE } from './args.ts';
import { compareCommand, COMPARE_USAGE } from './compare.ts';
import { progressReporter } from './progress.ts';

const USAGE = `fsam3d — photo + mask → 3D mesh (SAM 3D Objects, Fast-SAM3D)

${RUN_USAGE}

${COMPARE_USAGE}

Without --pack the bundled pack (${path.relative(process.cwd(), defaultPackDir()) || '.'}) is used.`;

/** The pack shipped with the repository, found relative to this file rather than the working folder. */
export function defaultPackDir(): string {
  return fileURLToPath(new URL('../../resources/models/nano', import.meta.url));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    }
    if (command === 'compare' || command === 'bench') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${COMPARE_USAGE}\n`);
        return 0;
      }
      return await compareCommand(command, rest, defaultPackDir());
    }
    if (command !== 'run') throw new UserError(`unknown command "${command}"; try: fsam3d run --help`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    return await run(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`fsam3d: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CancelledError) {
      process.stderr.write('fsam3d: cancelled\n');
      return 130;
    }
    process.stderr.write(`fsam3d: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}

async function run(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv);
  const pack = loadPack(args.pack ?? defaultPackDir(), { verifyHashes: true });
  const bar = progressReporter(process.stderr, args.quiet);
  const warn = (msg: string) => process.stderr.write(`fsam3d: warning: ${msg}\n`);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result;
  try {
    result = await runPipeline({
      image: args.image,
      mask: args.mask,
      pack,
      seed: args.seed,
      provider: args.provider,
      threads: args.threads,
      lowMemory: args.lowMemory,
      fovDeg: args.fov,
      layoutFit: args.layoutFit,
      maskGuide: args.maskGuide,
      gaussians: Boolean(args.ply),
      policies: args.strategy.build(),
      signal: controller.signal,
      onProgress: bar.update,
      onWarning: warn,
    });
  } finally {
    bar.stop();
    process.off('SIGINT', onSignal);
  }
  const m = pack.manifest;
  await writeGlb(args.out, result.mesh, {
    zUpToYUp: m.output.zUpToYUp,
    weld: args.weld,
    targetFaces: args.faces,
    pose: result.pose,
    placeInCamera: args.place,
  });
  if (args.ply) {
    if (!result.gaussians) warn(`pack ${m.id} has no Gaussian decoder; ${args.ply} not written`);
    else await writePly(args.ply, result, m);
  }
  const summary = {
    ...result.report,
    preset: { name: args.strategy.name, knobs: args.strategy.knobs },
    output: { glb: path.resolve(args.out), ply: args.ply ? path.resolve(args.ply) : null },
  };
  if (args.json) await atomicWrite(args.json, `${JSON.stringify(summary, null, 2)}\n`);
  for (const note of result.report.notes) warn(note);
  if (!args.quiet) {
    const r = result.report;
    process.stderr.write(
      `wrote ${args.out}: ${r.mesh.vertices} vertices, ${r.mesh.faces} faces in ${(r.totalMs / 1000).toFixed(2)} s ` +
        `(evaluations ${r.evaluations.stage1} + ${r.evaluations.stage2}, ${r.tokens.voxels} voxels); ` +
        `silhouette IoU ${r.silhouette.iou.toFixed(3)}` +
        (r.silhouette.layoutFit
          ? ` (layout fitted to the mask; ${r.silhouette.iouPredicted.toFixed(3)} as predicted)`
          : '') +
        '\n',
    );
  }
  return 0;
}

async function writePly(
  file: string,
  result: Awaited<ReturnType<typeof runPipeline>>,
  m: ReturnType<typeof loadPack>['manifest'],
) {
  const g = m.decoder.gaussians!;
  await atomicWrite(file, gaussiansToPly(result.gaussians!, result.coords, m.slat.res, g.perVoxel));
}
