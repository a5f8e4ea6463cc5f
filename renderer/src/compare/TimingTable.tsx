import { evaluations, stageTimes } from '../lib/report';
import { fmtInt, fmtMs, stageLabel } from '../lib/format';
import type { StudioRun } from '../store/types';

function ratio(a: number | null, b: number | null): string {
  if (a == null || b == null || b <= 0) return '—';
  return `${(a / b).toFixed(2)}×`;
}

/** Per-stage wall time and network evaluations of A and B, with A/B ratios. */
export function TimingTable({ a, b }: { a: StudioRun; b: StudioRun }) {
  const ta = stageTimes(a.result);
  const tb = stageTimes(b.result);
  const names = [...new Set([...ta.map((t) => t.name), ...tb.map((t) => t.name)])];
  const ms = (t: typeof ta, n: string) => t.find((x) => x.name === n)?.ms ?? null;
  const ea = evaluations(a.result);
  const eb = evaluations(b.result);
  const totalA = a.result?.report.totalMs ?? null;
  const totalB = b.result?.report.totalMs ?? null;
  return (
    <table className="table" data-testid="timing-table">
      <thead>
        <tr>
          <th>Stage</th>
          <th>A · {a.strategy}</th>
          <th>B · {b.strategy}</th>
          <th>A / B</th>
        </tr>
      </thead>
      <tbody>
        {names.map((n) => (
          <tr key={n} data-stage={n}>
            <td>{stageLabel(n)}</td>
            <td>{fmtMs(ms(ta, n))}</td>
            <td>{fmtMs(ms(tb, n))}</td>
            <td>{ratio(ms(ta, n), ms(tb, n))}</td>
          </tr>
        ))}
        <tr className="total">
          <td>Total</td>
          <td data-testid="total-a">{fmtMs(totalA)}</td>
          <td data-testid="total-b">{fmtMs(totalB)}</td>
          <td className="speedup">{ratio(totalA, totalB)}</td>
        </tr>
        {(ea.stage1 != null || eb.stage1 != null) && (
          <tr>
            <td>Network evals · stage 1 / 2</td>
            <td>
              {fmtInt(ea.stage1)} / {fmtInt(ea.stage2)}
            </td>
            <td>
              {fmtInt(eb.stage1)} / {fmtInt(eb.stage2)}
            </td>
            <td />
          </tr>
        )}
      </tbody>
    </table>
  );
}
