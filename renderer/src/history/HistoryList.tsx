import { useStudio } from '../app/context';
import { Section } from '../layout/Section';
import { HistoryRow } from './HistoryRow';

/** Every run of the session, newest first: settings, timing, reopen, pick for compare. */
export function HistoryList() {
  const runs = useStudio((s) => s.runs);
  return (
    <Section title={`History${runs.length ? ` · ${runs.length}` : ''}`} testId="history-panel">
      {runs.length === 0 ? (
        <p className="hint" style={{ margin: 0 }}>
          Runs appear here with their settings and timings. Click one to reopen it; tick A and B to compare.
        </p>
      ) : (
        <div className="history">
          {runs
            .map((r, i) => ({ r, n: i + 1 }))
            .reverse()
            .map(({ r, n }) => (
              <HistoryRow key={r.id} run={r} index={n} />
            ))}
        </div>
      )}
    </Section>
  );
}
