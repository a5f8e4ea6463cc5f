import { useEffect, useRef, type MouseEvent } from 'react';
import { useOps, useStudio } from '../app/context';
import { useDelayed } from '../lib/useDelayed';
import { fitRect, useElementSize } from '../lib/useElementSize';
import { selectedObject } from '../store/objects-logic';
import { renderMasks } from './mask-render';
import { PointMarkers } from './PointMarkers';

const MARGIN = 24;

/**
 * The photo at the largest size that fits, with every object's mask drawn on top (image resolution,
 * scaled by CSS) and the clicked points. Left click adds a point with the current tool; Shift-click
 * and right-click add a negative point.
 */
export function PhotoCanvas() {
  const ops = useOps();
  const photo = useStudio((s) => s.photo)!;
  const objects = useStudio((s) => s.objects);
  const selectedId = useStudio((s) => s.selectedObjectId);
  const tool = useStudio((s) => s.tool);
  const segmenting = useStudio((s) => selectedObject(s)?.segmentingSince != null);
  const showSpinner = useDelayed(segmenting, 150);

  const stage = useRef<HTMLDivElement>(null);
  const box = useElementSize(stage);
  const { width: w, height: h } = photo.ref;
  const fit = fitRect(box.width - MARGIN * 2, box.height - MARGIN * 2, w, h);

  const overlay = useRef<HTMLCanvasElement>(null);
  const edge = fit.width > 0 ? w / fit.width : 1;
  useEffect(() => {
    const c = overlay.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const px = renderMasks(objects, selectedId, w, h, Math.min(edge * 1.5, 8));
    ctx.putImageData(new ImageData(px as Uint8ClampedArray<ArrayBuffer>, w, h), 0, 0);
  }, [objects, selectedId, w, h, edge]);

  const onMouseDown = (e: MouseEvent<HTMLDivElement>) => {
    if (e.button !== 0 && e.button !== 2) return;
    e.preventDefault();
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    const x = Math.min(w - 1, Math.max(0, ((e.clientX - r.left) / r.width) * w));
    const y = Math.min(h - 1, Math.max(0, ((e.clientY - r.top) / r.height) * h));
    const negative = e.button === 2 || e.shiftKey || e.altKey || tool === 'negative';
    void ops.click(Math.round(x), Math.round(y), !negative);
  };

  return (
    <div ref={stage} style={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center' }}>
      {fit.width > 0 && (
        <div
          className="photo-frame"
          data-testid="photo-canvas"
          style={{ width: fit.width, height: fit.height }}
          onMouseDown={onMouseDown}
          onContextMenu={(e) => e.preventDefault()}
        >
          <img src={photo.url} alt={photo.ref.name} draggable={false} />
          <canvas ref={overlay} width={w} height={h} data-testid="mask-overlay" />
          <PointMarkers objects={objects} selectedId={selectedId} scale={fit.width / w} />
        </div>
      )}
      {showSpinner && (
        <div className="float-badge" data-testid="segment-spinner">
          <span className="spinner" />
          Segmenting…
        </div>
      )}
    </div>
  );
}
