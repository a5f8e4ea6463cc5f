// The paper-style comparison table, as text for the terminal and as CSV/JSON for files.
import type { StrategyRow } from './compare.ts';

const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');

const COLUMNS: [string, (r: StrategyRow) => string][] = [
  ['input', (r) => r.input],
  ['strategy', (r) => r.strategy],
  ['stage1 ms', (r) => f(r.stageMs.stage1 ?? 0, 0)],
  ['stage2 ms', (r) => f(r.stageMs.stage2 ?? 0, 0)],
  ['decode ms', (r) => f(r.stageMs.decode ?? 0, 0)],
  ['total ms', (r) => f(r.totalMs, 0)],
  ['speed-up', (r) => `${f(r.speedup, 2)}×`],
  ['evals s1', (r) => String(r.evaluations.stage1)],
  ['evals s2', (r) => String(r.evaluations.stage2)],
  ['voxels', (r) => String(r.tokens.voxels)],
  ['s2 token-evals', (r) => String(r.tokens.stage2Evaluated)],
  ['CD-L1', (r) => f(r.vsFull.cdL1, 4)],
  ['CD-L2', (r) => f(r.vsFull.cdL2, 5)],
  ['F1@0.05', (r) => f(r.vsFull.f1, 1)],
  ['vIoU', (r) => f(r.vsFull.vIoU, 3)],
  ['3D-IoU', (r) => f(r.vsFull.boxIoU, 3)],
  ['F1 vs GT', (r) => (r.vsTruth ? f(r.vsTruth.f1, 1) : '')],
  ['vIoU vs GT', (r) => (r.vsTruth ? f(r.vsTruth.vIoU, 3) : '')],
  ['sil IoU', (r) => f(r.output.silhouetteIoU, 3)],
  ['closed', (r) => f(r.output.closed, 2)],
  ['coloured', (r) => f(r.output.coloured, 2)],
];

export function formatTable(rows: StrategyRow[]): string {
  const cols = COLUMNS.filter(([name]) => !name.includes('GT') || rows.some((r) => r.vsTruth));
  const cells = [cols.map(([n]) => n), ...rows.map((r) => cols.map(([, get]) => get(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export function toCsv(rows: StrategyRow[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return (
    [
      COLUMNS.map(([n]) => quote(n)).join(','),
      ...rows.map((r) => COLUMNS.map(([, get]) => quote(get(r).replace('×', ''))).join(',')),
    ].join('\n') + '\n'
  );
}

export function toJson(rows: StrategyRow[], meta: Record<string, unknown>): string {
  return `${JSON.stringify({ ...meta, rows: rows.map(({ result: _r, ...rest }) => rest) }, null, 2)}\n`;
}

/** One sentence on how far timings can be trusted. */
export function noiseNote(rows: StrategyRow[], repeat: number): string {
  if (repeat < 2)
    return 'timings: single run each (no repeat); expect ±20–40 % on a shared machine, use --repeat 3 or more';
  const spreads = rows.map((r) => r.totalSpread * 100).sort((a, b) => a - b);
  const med = spreads[spreads.length >> 1];
  return `timings: median of ${repeat} interleaved repeats; run-to-run spread of the total (max−min)/median: median ${med.toFixed(0)} %, worst ${spreads[spreads.length - 1].toFixed(0)} %`;
}
