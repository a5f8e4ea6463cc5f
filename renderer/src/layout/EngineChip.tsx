import { useStudio } from '../app/context';
import { providerShort } from '../lib/providers';
import { providerUsed } from '../lib/report';
import { lastFinishedRun } from '../store/runs-logic';

/** Engine connection state, active pack and execution provider (and what the last run ran on). */
export function EngineChip() {
  const status = useStudio((s) => s.engine.status);
  const version = useStudio((s) => s.engine.hello?.version);
  const settings = useStudio((s) => s.settings);
  const packs = useStudio((s) => s.engine.hello?.packs);
  const used = useStudio((s) => providerUsed(lastFinishedRun(s)?.result));
  const pack = packs?.find((p) => p.id === settings?.activePack);
  const ready = status === 'ready';
  const label = ready
    ? [pack?.name ?? settings?.activePack, settings?.provider && providerShort(settings.provider)]
        .filter(Boolean)
        .join(' · ')
    : status === 'connecting'
      ? 'Connecting to the engine…'
      : status === 'restarting'
        ? 'Engine restarting…'
        : 'Engine offline';
  return (
    <div
      className="engine-chip tip-below tip-right"
      data-testid="engine-status"
      data-status={status}
      data-tip={version ? `Engine ${version}` : undefined}
    >
      <span className={`dot ${status}`} />
      {label}
      {ready && used && (
        <span className="faint" data-testid="engine-provider-used" title="What the last run ran on">
          used: {used}
        </span>
      )}
    </div>
  );
}
