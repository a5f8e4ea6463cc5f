import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Popover } from '../lib/Popover';

/** Pack, execution provider and threads (persisted by the engine). */
export function SettingsMenu() {
  const ops = useOps();
  const settings = useStudio((s) => s.settings);
  const hello = useStudio((s) => s.engine.hello);
  return (
    <Popover
      align="right"
      trigger={(open, toggle) => (
        <button
          className={open ? 'btn ghost icon-only active' : 'btn ghost icon-only'}
          onClick={toggle}
          aria-label="Settings"
          title="Settings"
          data-testid="settings-button"
          disabled={!settings}
        >
          <Icon name="gear" />
        </button>
      )}
    >
      {() =>
        settings && hello ? (
          <div className="settings-form">
            <label className="field" style={{ marginTop: 0 }}>
              <span className="field-label">Model pack</span>
              <select
                className="select"
                value={settings.activePack}
                onChange={(e) => void ops.updateSettings({ activePack: e.target.value })}
              >
                {hello.packs.map((p) => (
                  <option key={p.id} value={p.id} title={p.description}>
                    {p.name}
                    {p.builtIn ? ' (bundled)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <label className="field" style={{ marginTop: 0 }}>
              <span className="field-label">Execution provider</span>
              <select
                className="select"
                value={settings.provider}
                onChange={(e) => void ops.updateSettings({ provider: e.target.value })}
              >
                {hello.providers.map((p) => (
                  <option key={p} value={p}>
                    {p.toUpperCase()}
                  </option>
                ))}
              </select>
            </label>
            <label className="field" style={{ marginTop: 0 }}>
              <span className="field-label">CPU threads (0 = automatic)</span>
              <input
                className="input num"
                type="number"
                min={0}
                max={256}
                defaultValue={settings.threads}
                onBlur={(e) => {
                  const v = Math.max(0, Math.round(Number(e.target.value) || 0));
                  if (v !== settings.threads) void ops.updateSettings({ threads: v });
                }}
              />
            </label>
            <p className="hint" style={{ margin: 0 }}>
              Changes apply to the next run. A provider that cannot start falls back to CPU; the run report
              says what each stage ran on.
            </p>
          </div>
        ) : null
      }
    </Popover>
  );
}
