import { useStudio } from '../app/context';

/** Engine connection state, active pack and execution provider. */
export function EngineChip() {
  const status = useStudio((s) => s.engine.status);
  const version = useStudio((s) => s.engine.hello?.version);
  const settings = useStudio((s) => s.settings);
  const packs = useStudio((s) => s.engine.hello?.packs);
  const pack = packs?.find((p) => p.id === settings?.activePack);
  const label =
    status === 'ready'
      ? [pack?.name ?? settings?.activePack, settings?.provider?.toUpperCase()].filter(Boolean).join(' · ')
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
    </div>
  );
}
