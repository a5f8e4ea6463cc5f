// Summarises `fsam3d bench` results into the nano model card's tables (issue #4 targets):
//   node --import tsx scripts/eval-summary.ts BENCH_OUT_DIR|results.json ... [--per-input]
//
// Why a script: modeling/nano/evaluate.sh runs the held-out set as several bench processes side by side
// (one per core), so the numbers in MODEL_CARD.md come from merging their results.json files; doing that
// by hand is how figures drift. An input that failed (listed under `failed`, e.g. no occupied voxel) counts
// as 0 in every quality column and as not closed, like the model card says.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Row = {
  input: string;
  strategy: string;
  totalMs: number;
  tokens?: { voxels: number };
  speedup: number;
  vsFull: { f1: number };
  vsTruth?: { vIoU: number; f1: number };
  output?: {
    silhouetteIoU: number | null;
    silhouetteIoUPredicted?: number;
    closed: number;
    coloured: number;
  };
};
type Results = { rows: Row[]; failed?: { input: string; error: string }[] };

/** The bench appends its own mean rows under this input name; we recompute means over the merged files. */
const MEAN_ROW = 'mean';

/** The issue #4 targets on the held-out set. */
export const TARGETS = { vIoU: 0.5, f1: 60, silhouette: 0.85 } as const;

export type StrategySummary = {
  strategy: string;
  inputs: number;
  failed: number;
  vIoU: Stat;
  f1: Stat;
  silhouette: Stat;
  /** With the network's own layout, before the layout fit (engine/layout). */
  silhouettePredicted: Stat;
  closedColoured: number;
  seconds: Stat & { max: number };
  meeting: { vIoU: number; f1: number; silhouette: number };
  /** Against `full` on the same inputs (absent for full itself or when full did not run). */
  vsFull?: { speedup: Stat; f1: number };
};
type Stat = { mean: number; median: number };

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
function median(v: number[]): number {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const stat = (v: number[]): Stat => ({ mean: mean(v), median: median(v) });

export function loadResults(args: string[]): Results {
  const rows: Row[] = [];
  const failed: Results['failed'] = [];
  for (const a of args) {
    const file = existsSync(a) && statSync(a).isDirectory() ? path.join(a, 'results.json') : a;
    if (!existsSync(file))
      throw new Error(`${file} not found: give bench output folders or results.json files`);
    const r = JSON.parse(readFileSync(file, 'utf8')) as Results;
    rows.push(...r.rows.filter((row) => row.input !== MEAN_ROW));
    failed.push(...(r.failed ?? []));
  }
  return { rows, failed };
}

export function summarise({ rows, failed = [] }: Results): StrategySummary[] {
  const strategies = [...new Set(rows.map((r) => r.strategy))];
  const fullBy = new Map(rows.filter((r) => r.strategy === 'full').map((r) => [r.input, r]));
  return strategies.map((strategy) => {
    const own = rows.filter((r) => r.strategy === strategy);
    // A failed input fails for every strategy (stage 1 is shared up to caching): zeros in every column.
    const zeros = failed.map(() => 0);
    const col = (f: (r: Row) => number) => [...own.map(f), ...zeros];
    const vIoU = col((r) => r.vsTruth?.vIoU ?? 0);
    const f1 = col((r) => r.vsTruth?.f1 ?? 0);
    const sil = col((r) => r.output?.silhouetteIoU ?? 0);
    const silPredicted = col((r) => r.output?.silhouetteIoUPredicted ?? r.output?.silhouetteIoU ?? 0);
    const secs = own.map((r) => r.totalMs / 1000);
    const paired = own.filter((r) => strategy !== 'full' && fullBy.has(r.input));
    const truth = own.some((r) => r.vsTruth);
    const none: Stat = { mean: NaN, median: NaN };
    return {
      strategy,
      inputs: own.length + failed.length,
      failed: failed.length,
      vIoU: truth ? stat(vIoU) : none,
      f1: truth ? stat(f1) : none,
      silhouette: stat(sil),
      silhouettePredicted: stat(silPredicted),
      closedColoured: own.filter((r) => r.output?.closed && r.output?.coloured).length,
      seconds: { ...stat(secs), max: Math.max(...secs) },
      meeting: {
        vIoU: truth ? vIoU.filter((x) => x >= TARGETS.vIoU).length / vIoU.length : NaN,
        f1: truth ? f1.filter((x) => x >= TARGETS.f1).length / f1.length : NaN,
        silhouette: sil.filter((x) => x >= TARGETS.silhouette).length / sil.length,
      },
      vsFull: paired.length
        ? {
            speedup: stat(paired.map((r) => fullBy.get(r.input)!.totalMs / r.totalMs)),
            f1: mean(paired.map((r) => r.vsFull.f1)),
          }
        : undefined,
    };
  });
}

export function markdown(s: StrategySummary[]): string {
  const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–');
  const lines = [
    '| preset | inputs (failed) | vIoU vs GT (mean / median) | F1@0.05 vs GT (mean / median) | silhouette IoU (mean / median) | silhouette, network layout (mean / median) | closed + coloured | time per run s (mean / median / max) | meeting vIoU / F1 / silhouette targets | vs full: speed-up (mean / median), F1 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...s.map(
      (r) =>
        `| \`${r.strategy}\` | ${r.inputs} (${r.failed}) | ${f(r.vIoU.mean, 3)} / ${f(r.vIoU.median, 3)} | ${f(r.f1.mean, 1)} / ${f(r.f1.median, 1)} | ${f(r.silhouette.mean, 3)} / ${f(r.silhouette.median, 3)} | ${f(r.silhouettePredicted.mean, 3)} / ${f(r.silhouettePredicted.median, 3)} | ${r.closedColoured} / ${r.inputs} | ${f(r.seconds.mean, 2)} / ${f(r.seconds.median, 2)} / ${f(r.seconds.max, 1)} | ${pct(r.meeting.vIoU)} / ${pct(r.meeting.f1)} / ${pct(r.meeting.silhouette)} | ${r.vsFull ? `${f(r.vsFull.speedup.mean, 2)}× / ${f(r.vsFull.speedup.median, 2)}×, ${f(r.vsFull.f1, 1)}` : '–'} |`,
    ),
  ];
  return lines.join('\n');
}

/** One line per input (the real photos' table): voxels, silhouette (fitted and network layout), closed and
 *  coloured, and time, for each strategy side by side. */
export function perInput({ rows }: Results): string {
  const strategies = [...new Set(rows.map((r) => r.strategy))];
  const inputs = [...new Set(rows.map((r) => r.input))];
  const cell = (r: Row | undefined) =>
    r
      ? `${r.tokens?.voxels ?? '–'} | ${(r.output?.silhouetteIoU ?? 0).toFixed(3)} (${(r.output?.silhouetteIoUPredicted ?? r.output?.silhouetteIoU ?? 0).toFixed(3)}) | ${r.output?.closed && r.output?.coloured ? 'yes' : 'no'} | ${(r.totalMs / 1000).toFixed(1)}`
      : '– | – | – | –';
  const head = strategies.map((s) => `${s} voxels | ${s} silhouette (network layout) | closed, coloured | s`);
  return [
    `| input | ${head.join(' | ')} |`,
    `|${' --- |'.repeat(1 + 4 * strategies.length)}`,
    ...inputs.map(
      (i) =>
        `| ${i} | ${strategies.map((s) => cell(rows.find((r) => r.input === i && r.strategy === s))).join(' | ')} |`,
    ),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!args.length) {
    process.stderr.write('usage: node --import tsx scripts/eval-summary.ts BENCH_OUT_DIR|results.json ...\n');
    process.exit(2);
  }
  try {
    const results = loadResults(args);
    process.stdout.write(markdown(summarise(results)) + '\n');
    if (process.argv.includes('--per-input')) process.stdout.write('\n' + perInput(results) + '\n');
  } catch (e) {
    process.stderr.write(`eval-summary: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
