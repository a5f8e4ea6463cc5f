import { useRef } from 'react';
import { useOps, useStudio } from '../app/context';
import { Icon } from '../lib/Icon';
import { Segmented } from '../lib/Segmented';
import { selectedObject } from '../store/objects-logic';
import { OpenImageButton } from './OpenImageButton';
import { SamplesMenu } from './SamplesMenu';

export function PhotoToolbar() {
  const ops = useOps();
  const hasPhoto = useStudio((s) => !!s.photo);
  const tool = useStudio((s) => s.tool);
  const canUndo = useStudio((s) => (selectedObject(s)?.undo.length ?? 0) > 0);
  const canClear = useStudio((s) => {
    const o = selectedObject(s);
    return !!o && (o.points.length > 0 || !!o.mask);
  });
  const maskInput = useRef<HTMLInputElement>(null);
  const mod = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl+';

  return (
    <div className="toolbar">
      <OpenImageButton compact={hasPhoto} />
      <SamplesMenu compact={hasPhoto} />
      {hasPhoto && (
        <>
          <span className="sep" />
          <Segmented
            label="Click adds"
            value={tool}
            onChange={ops.setTool}
            options={[
              {
                value: 'positive',
                label: <Icon name="plus" size={14} />,
                title: 'Click adds to the object (A)',
                testId: 'tool-positive',
              },
              {
                value: 'negative',
                label: <Icon name="minus" size={14} />,
                title: 'Click removes from the object (S); Shift-click or right-click always removes',
                testId: 'tool-negative',
              },
            ]}
          />
          <button
            className="btn ghost icon-only"
            onClick={ops.undo}
            disabled={!canUndo}
            title={`Undo (${mod}Z)`}
            aria-label="Undo"
            data-testid="undo"
          >
            <Icon name="undo" />
          </button>
          <button
            className="btn ghost icon-only"
            onClick={ops.clear}
            disabled={!canClear}
            title="Clear this object's points and mask"
            aria-label="Clear"
            data-testid="clear"
          >
            <Icon name="eraser" />
          </button>
          <span className="sep" />
          <button
            className="btn ghost"
            onClick={() => (ops.hasShell ? void ops.importMaskDialog() : maskInput.current?.click())}
            title="Use a mask PNG of the photo's size (white = object)"
            data-testid="import-mask"
          >
            <Icon name="upload" />
            Mask
          </button>
          <input
            ref={maskInput}
            type="file"
            accept="image/png"
            hidden
            data-testid="import-mask-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void ops.importMaskFile(f);
              e.target.value = '';
            }}
          />
        </>
      )}
    </div>
  );
}
