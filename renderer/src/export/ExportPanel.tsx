import { useOps, useStudio } from '../app/context';
import { Section } from '../layout/Section';
import { Icon } from '../lib/Icon';
import { Segmented } from '../lib/Segmented';
import { Switch } from '../lib/Switch';
import { sceneRuns, viewRun } from '../store/runs-logic';

/**
 * GLB (optionally simplified) or PLY of the shown object or the whole scene: a save dialog in the
 * desktop app, a download in the browser. The choices live in the store so File › Export GLB… uses them.
 */
export function ExportPanel() {
  const ops = useOps();
  const { format, scope, simplify, faces } = useStudio((s) => s.exportSettings);
  const busy = useStudio((s) => s.exporting);
  const hasSelected = useStudio((s) => viewRun(s)?.status === 'done');
  const sceneCount = useStudio((s) => sceneRuns(s).length);
  const can = scope === 'scene' ? sceneCount > 0 : hasSelected;
  const setFormat = (v: 'glb' | 'ply') => ops.setExportSettings({ format: v });
  const setScope = (v: 'selected' | 'scene') => ops.setExportSettings({ scope: v });
  const setSimplify = (v: boolean) => ops.setExportSettings({ simplify: v });
  const setFaces = (v: number) => ops.setExportSettings({ faces: v });
  const run = () => ops.exportNow();

  return (
    <Section title="Export" testId="export-panel">
      <Segmented
        stretch
        label="Format"
        value={format}
        onChange={setFormat}
        options={[
          {
            value: 'glb',
            label: 'GLB mesh',
            title: 'glTF binary, y-up, metres, vertex colours (Blender-ready)',
            testId: 'export-glb',
          },
          {
            value: 'ply',
            label: 'PLY mesh',
            title: 'The mesh as PLY with vertex colours (z-up)',
            testId: 'export-ply',
          },
        ]}
      />
      <div className="field">
        <Segmented
          stretch
          label="What"
          value={scope}
          onChange={setScope}
          options={[
            { value: 'selected', label: 'Shown object', testId: 'export-scope-selected' },
            {
              value: 'scene',
              label: `Scene (${sceneCount})`,
              title: 'Every object placed by its layout',
              testId: 'export-scope-scene',
            },
          ]}
        />
      </div>
      {format === 'glb' && (
        <div className="field">
          <div className="row">
            <span
              className="field-label"
              style={{ flex: 1 }}
              data-tip="Weld and decimate to about N faces (meshoptimizer): smaller files, less detail."
            >
              Simplify mesh
            </span>
            <Switch on={simplify} onChange={setSimplify} label="Simplify mesh" testId="export-simplify" />
          </div>
          {simplify && (
            <div className="row">
              <input
                className="input num"
                style={{ flex: 1 }}
                type="number"
                min={100}
                step={1000}
                value={faces}
                aria-label="Target faces"
                data-testid="export-faces"
                onChange={(e) => setFaces(Math.max(100, Math.round(Number(e.target.value) || 0)))}
              />
              <span className="muted">faces</span>
            </div>
          )}
        </div>
      )}
      <button
        className="btn block"
        style={{ marginTop: 12 }}
        onClick={() => void run()}
        disabled={!can || busy}
        data-testid="export-button"
      >
        {busy ? <span className="spinner" /> : <Icon name="download" />}
        Export {format.toUpperCase()}
      </button>
    </Section>
  );
}
