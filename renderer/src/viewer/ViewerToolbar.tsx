import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Segmented } from '../lib/Segmented';

/** Object/scene, shading, wireframe, grid and screenshot. */
export function ViewerToolbar(props: { onScreenshot: () => void; canShoot: boolean }) {
  const ops = useOps();
  const v = useStudio((s) => s.viewer);
  return (
    <div className="toolbar">
      <Segmented
        label="View"
        value={v.mode}
        onChange={(mode) => ops.setViewer({ mode })}
        options={[
          { value: 'object', label: 'Object', title: 'The selected object, upright', testId: 'view-object' },
          {
            value: 'scene',
            label: 'Scene',
            title: 'Every object placed as in the photo',
            testId: 'view-scene',
          },
        ]}
      />
      <span className="sep" />
      <Segmented
        label="Shading"
        value={v.shading}
        onChange={(shading) => ops.setViewer({ shading })}
        options={[
          { value: 'color', label: 'Colour', title: 'Vertex colours', testId: 'shading-color' },
          { value: 'matcap', label: 'Clay', title: 'Matcap: judge the shape', testId: 'shading-matcap' },
          { value: 'normals', label: 'Normals', title: 'Surface normals', testId: 'shading-normals' },
        ]}
      />
      <button
        className={v.wireframe ? 'btn ghost icon-only active' : 'btn ghost icon-only'}
        onClick={() => ops.setViewer({ wireframe: !v.wireframe })}
        aria-pressed={v.wireframe}
        title="Wireframe"
        aria-label="Wireframe"
        data-testid="toggle-wireframe"
      >
        <Icon name="wire" />
      </button>
      <button
        className={v.grid ? 'btn ghost icon-only active' : 'btn ghost icon-only'}
        onClick={() => ops.setViewer({ grid: !v.grid })}
        aria-pressed={v.grid}
        title="Grid and axes"
        aria-label="Grid and axes"
        data-testid="toggle-grid"
      >
        <Icon name="grid" />
      </button>
      <span className="spacer" />
      <button
        className="btn ghost icon-only"
        onClick={props.onScreenshot}
        disabled={!props.canShoot}
        title="Save a PNG screenshot of the view"
        aria-label="Screenshot"
        data-testid="screenshot"
      >
        <Icon name="camera" />
      </button>
    </div>
  );
}
