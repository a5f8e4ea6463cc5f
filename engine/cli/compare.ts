// `fsam3d compare` (one photo) and `fsam3d bench` (a folder): full and each strategy on the same inputs
// and noise, printed as the paper-style table and written as JSON, CSV and a Pareto plot.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveStrategy, STRATEGY_NAMES } from '../accelerate/presets.ts';
import { compareStrategies, type StrategyRow } from '../bench/compare.ts';
import { readInputs, readGlbMesh, type BenchInput } from '../bench/inputs.ts';
import { paretoPng } from '../bench/plot.ts';
import { formatTable, noiseNote, toCsv, toJson } from '../bench/table.ts';
import { UserError } from '../errors.ts';
import { atomicWrite, writeGlb } from '../export/index.ts';
import { loadPack } from '../pack/load.ts';
import { PROVIDERS, SessionCache, type Provider } from '../pack/sessions.ts';
import { knobValues, strategyOptions, STRATEGY_USAGE } from './strategy-args.ts';

export const COMPARE_USAGE = `usage: fsam3d compare --image PHOTO --mask MASK [--truth GT.glb] [common options]
       fsam3d bench --inputs DIR [common options]
         (DIR: NAME.png + NAME.mask.png [+ NAME.gt.glb], or folders NAME/photo.*, NAME/mask.png [, NAME/gt.glb])
common: [--strategies full,fast-sam3d,...] [--pack DIR] [--seed N] [--repeat N] [--out-dir DIR]
        [--glb] [--ep cpu|auto|cuda|...] [--threads N] [--no-mask-guide] [knob flags]
strategies: ${STRATEGY_NAMES.join(', ')}
${STRATEGY_USAGE}`;

export async function compareCommand(
  command: 'compare' | 'bench',
  argv: string[],
  defaultPack: string,
): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        image: { type: 'string' },
        mask: { type: 'string' },
        truth: { type: 'string' },
        inputs: { type: 'string' },
        strategies: { type: 'string', default: 'full,fast-sam3d' },
        pack: { type: 'string' },
        seed: { type: 'string', default: '0' },
        repeat: { type: 'string', default: command === 'bench' ? '3' : '1' },
        'out-dir': { type: 'string', default: `out/${command}` },
        glb: { type: 'boolean', default: false },
        ep: { type: 'string', default: 'cpu' },
        threads: { type: 'string' },
        'no-mask-guide': { type: 'boolean', default: false },
        ...strategyOptions(),
      },
    }));
  } catch (e) {
    throw new UserError(`${(e as Error).message.split('\n')[0]}\n${COMPARE_USAGE}`);
  }
  const int = (name: string, min: number) => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(String(v)) || Number(v) < min)
      throw new UserError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
    return Number(v);
  };
  const provider = String(values.ep) as Provider;
  if (!PROVIDERS.includes(provider)) throw new UserError(`--ep must be one of ${PROVIDERS.join(', ')}`);
  const knobs = knobValues(values);
  const names = String(values.strategies)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!names.includes('full')) names.unshift('full');
  const strategies = [...new Set(names)].map((n) => resolveStrategy(n, n === 'full' ? {} : knobs));

  const pack = loadPack(String(values.pack ?? defaultPack), { verifyHashes: true });
  const frame = pack.manifest.output.zUpToYUp;
  let inputs: BenchInput[];
  if (command === 'bench') {
    if (!values.inputs) throw new UserError(`--inputs is required\n${COMPARE_USAGE}`);
    inputs = await readInputs(String(values.inputs), frame);
  } else {
    if (!values.image || !values.mask)
      throw new UserError(`--image and --mask are required\n${COMPARE_USAGE}`);
    const truth = values.truth ? await readGlbMesh(String(values.truth), frame) : undefined;
    inputs = [
      {
        name: path.parse(String(values.image)).name,
        image: String(values.image),
        mask: String(values.mask),
        truth,
      },
    ];
  }
  const repeat = int('repeat', 1)!;
  const outDir = String(values['out-dir']);
  const sessions = new SessionCache(pack, {
    provider,
    threads: int('threads', 1),
    onWarning: (m) => process.stderr.write(`fsam3d: warning: ${m}\n`),
  });
  const rows: StrategyRow[] = [];
  const failed: { input: string; error: string }[] = [];
  try {
    for (const [i, input] of inputs.entries()) {
      let got: StrategyRow[];
      try {
        got = await compareStrategies({
          warmUp: i === 0, // the sessions stay warm across inputs
          input,
          pack,
          strategies,
          seed: int('seed', 0),
          repeat,
          sessions,
          maskGuide: !values['no-mask-guide'],
          onRun: (s, r) => process.stderr.write(`${input.name}: ${s} (repeat ${r + 1}/${repeat})\n`),
        });
      } catch (e) {
        // One input the model cannot reconstruct (e.g. no occupied voxels) must not lose the others'
        // results; it is reported after the table, in results.json, and left out of the means.
        if (command !== 'bench') throw e;
        failed.push({ input: input.name, error: (e as Error).message.split('\n')[0] });
        process.stderr.write(`fsam3d: warning: ${input.name} failed: ${failed.at(-1)!.error}\n`);
        continue;
      }
      rows.push(...got);
      if (values.glb) {
        for (const row of got) {
          await writeGlb(path.join(outDir, `${input.name}.${row.strategy}.glb`), row.result.mesh, {
            zUpToYUp: pack.manifest.output.zUpToYUp,
          });
        }
      }
    }
  } finally {
    await sessions.dispose();
  }

  if (!rows.length)
    throw new UserError(`every input failed; first: ${failed[0]?.input}: ${failed[0]?.error}`);
  const summary = summarise(rows);
  const note = noiseNote(rows, repeat);
  const failures = failed.map((f) => `failed (left out of the means): ${f.input}: ${f.error}\n`).join('');
  process.stdout.write(`${formatTable([...rows, ...summary])}\n${failures}${note}\n`);
  const meta = { command, pack: pack.manifest.id, repeat, note, failed, machine: machine() };
  await atomicWrite(path.join(outDir, 'results.json'), toJson([...rows, ...summary], meta));
  await atomicWrite(path.join(outDir, 'results.csv'), toCsv([...rows, ...summary]));
  const points = (summary.length ? summary : rows).map((r) => ({
    label: r.strategy,
    speedup: r.speedup,
    f1: r.vsFull.f1,
  }));
  await atomicWrite(
    path.join(outDir, 'pareto.png'),
    await paretoPng(points, `Speed-up vs fidelity (${pack.manifest.id})`),
  );
  process.stdout.write(`wrote ${path.join(outDir, 'results.{json,csv}')} and pareto.png\n`);
  return 0;
}

/** With several inputs, one mean row per strategy (input "mean"). */
function summarise(rows: StrategyRow[]): StrategyRow[] {
  const inputs = new Set(rows.map((r) => r.input));
  if (inputs.size < 2) return [];
  const byStrategy = new Map<string, StrategyRow[]>();
  for (const r of rows) byStrategy.set(r.strategy, [...(byStrategy.get(r.strategy) ?? []), r]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...byStrategy.entries()].map(([strategy, rs]) => ({
    ...rs[0],
    input: 'mean',
    strategy,
    stageMs: Object.fromEntries(
      Object.keys(rs[0].stageMs).map((k) => [k, mean(rs.map((r) => r.stageMs[k]))]),
    ),
    totalMs: mean(rs.map((r) => r.totalMs)),
    totalSpread: Math.max(...rs.map((r) => r.totalSpread)),
    speedup: mean(rs.map((r) => r.speedup)),
    evaluations: {
      stage1: mean(rs.map((r) => r.evaluations.stage1)),
      stage2: mean(rs.map((r) => r.evaluations.stage2)),
    },
    tokens: {
      voxels: mean(rs.map((r) => r.tokens.voxels)),
      stage2Evaluated: mean(rs.map((r) => r.tokens.stage2Evaluated)),
    },
    vsFull: {
      cdL1: mean(rs.map((r) => r.vsFull.cdL1)),
      cdL2: mean(rs.map((r) => r.vsFull.cdL2)),
      f1: mean(rs.map((r) => r.vsFull.f1)),
      vIoU: mean(rs.map((r) => r.vsFull.vIoU)),
      boxIoU: mean(rs.map((r) => r.vsFull.boxIoU)),
    },
    vsTruth: rs.every((r) => r.vsTruth)
      ? {
          cdL1: mean(rs.map((r) => r.vsTruth!.cdL1)),
          cdL2: mean(rs.map((r) => r.vsTruth!.cdL2)),
          f1: mean(rs.map((r) => r.vsTruth!.f1)),
          vIoU: mean(rs.map((r) => r.vsTruth!.vIoU)),
        }
      : null,
    output: {
      silhouetteIoU: mean(rs.map((r) => r.output.silhouetteIoU)),
      silhouetteIoUPredicted: mean(rs.map((r) => r.output.silhouetteIoUPredicted)),
      closed: mean(rs.map((r) => r.output.closed)),
      coloured: mean(rs.map((r) => r.output.coloured)),
    },
  }));
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
