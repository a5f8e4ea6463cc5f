import { useState } from 'react';
import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Popover } from '../lib/Popover';
import { providerOptions } from '../lib/providers';
import { providerRequested, providerStages, providerUsed } from '../lib/report';
import { lastFinishedRun } from '../store/runs-logic';

const WEIGHTS_URL = 'https://github.com/facebookresearch/sam-3d-objects';

/** Pack, execution provider and threads (persisted by the engine). */
export function SettingsMenu() {
  const ops = useOps();
  const settings = useStudio((s) => s.settings);
  const hello = useStudio((s) => s.engine.hello);
  const open = useStudio((s) => s.settingsOpen);
  return (
    <Popover
      align="right"
      open={open}
      onOpenChange={ops.setSettingsOpen}
      trigger={(isOpen, toggle) => (
        <button
          className={isOpen ? 'btn ghost icon-only active' : 'btn ghost icon-only'}
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
          <div className="settings-form" data-testid="settings-menu">
            <label className="field" style={{ marginTop: 0 }}>
              <span className="field-label">Model pack</span>
              <select
                className="select"
                value={settings.activePack}
                data-testid="pack-select"
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
            <AddPackFolder />
            <label className="field" style={{ marginTop: 0 }}>
              <span className="field-label">Execution provider</span>
              <select
                className="select"
                value={settings.provider}
                data-testid="provider-select"
                onChange={(e) => void ops.updateSettings({ provider: e.target.value })}
              >
                {providerOptions(hello.providers, settings.provider).map((p) => (
                  <option key={p.value} value={p.value} disabled={!p.available}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <ProviderUsed />
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

/** What the last finished run really ran on, and the engine's note about it (e.g. 'auto' found no GPU). */
function ProviderUsed() {
  const run = useStudio(lastFinishedRun);
  const note = useStudio((s) => s.engineNote);
  const used = providerUsed(run?.result);
  const stages = Object.entries(providerStages(run?.result))
    .map(([stage, p]) => `${stage}: ${p}`)
    .join('\n');
  const asked = providerRequested(run?.result);
  if (!used && !note) return null;
  return (
    <div className="hint" style={{ marginTop: -4 }}>
      {used && (
        <div data-testid="provider-used" title={stages}>
          Last run{asked ? ` (${asked})` : ''} used: {used}
        </div>
      )}
      {note && (
        <div data-testid="engine-note" style={{ overflowWrap: 'anywhere' }}>
          {note}
        </div>
      )}
    </div>
  );
}

/** Electron: the shell's folder dialog. Browser: a path on the engine's machine (it may be remote). */
function AddPackFolder() {
  const ops = useOps();
  const [typing, setTyping] = useState(false);
  const [dir, setDir] = useState('');
  const add = () => {
    void ops.addPackDir(dir);
    setDir('');
    setTyping(false);
  };
  return (
    <div className="field" style={{ marginTop: -4 }}>
      {typing ? (
        <div className="row" style={{ gap: 6 }}>
          <input
            className="input"
            style={{ flex: 1, minWidth: 0 }}
            autoFocus
            placeholder="Folder on the engine's machine"
            aria-label="SAM 3D pack folder"
            data-testid="pack-folder-input"
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && add()}
          />
          <button className="btn" onClick={add} disabled={!dir.trim()}>
            Add
          </button>
        </div>
      ) : (
        <button
          className="btn ghost"
          style={{ alignSelf: 'flex-start' }}
          data-testid="add-pack-folder"
          title="A folder with manifest.json and the pack's ONNX files"
          onClick={() => (ops.hasShell ? void ops.addPackFolder() : setTyping(true))}
        >
          <Icon name="folder" />
          Add SAM 3D pack folder…
        </button>
      )}
      <a
        className="hint"
        href={WEIGHTS_URL}
        target="_blank"
        rel="noopener noreferrer"
        onClick={(e) => {
          if (!ops.hasShell) return;
          e.preventDefault();
          void ops.openExternal(WEIGHTS_URL);
        }}
      >
        Where to get SAM 3D Objects ↗
      </a>
    </div>
  );
}
