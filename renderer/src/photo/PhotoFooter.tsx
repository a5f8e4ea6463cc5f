import { useMemo } from 'react';
import { useStudio } from '../app/context';
import { fmtPct } from '../lib/format';
import { selectedObject } from '../store/objects-logic';
import { maskArea } from './mask-render';

/** Photo name and size, the selected object's mask, and the click hints. */
export function PhotoFooter() {
  const photo = useStudio((s) => s.photo);
  const obj = useStudio(selectedObject);
  const mask = obj?.mask;
  const area = useMemo(() => (mask ? maskArea(mask.data) / (mask.width * mask.height) : null), [mask]);
  if (!photo) return null;
  return (
    <footer className="pane-foot">
      <span className="muted" title={photo.ref.name} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {photo.ref.name}
      </span>
      <span className="num">
        {photo.ref.width}×{photo.ref.height}
      </span>
      {mask && (
        <span data-testid="mask-info" className="num">
          mask {fmtPct(area)} · {mask.source === 'import' ? 'imported' : mask.method}
        </span>
      )}
      <span className="spacer" />
      <span title="Click adds to the object; Shift-click or right-click removes">
        Shift/right-click: remove
      </span>
    </footer>
  );
}
