import type { StudioObject } from '../store/types';

/** Clicked points in screen pixels: filled for positive, hollow with a bar for negative. */
export function PointMarkers(props: { objects: StudioObject[]; selectedId: string | null; scale: number }) {
  return (
    <svg data-testid="points">
      {props.objects.flatMap((o) =>
        o.points.map((p, i) => {
          const x = (p.x + 0.5) * props.scale;
          const y = (p.y + 0.5) * props.scale;
          const dim = o.id !== props.selectedId;
          return (
            <g key={`${o.id}-${i}`} opacity={dim ? 0.55 : 1} data-positive={p.positive}>
              <circle cx={x} cy={y} r={7} fill="rgba(0,0,0,0.45)" />
              <circle
                cx={x}
                cy={y}
                r={5.5}
                fill={p.positive ? o.color : '#15161a'}
                stroke={p.positive ? '#fff' : '#ff6b7d'}
                strokeWidth={1.6}
              />
              {p.positive ? (
                <path d={`M${x - 2.5} ${y}h5M${x} ${y - 2.5}v5`} stroke="#fff" strokeWidth={1.4} />
              ) : (
                <path d={`M${x - 2.5} ${y}h5`} stroke="#ff6b7d" strokeWidth={1.6} />
              )}
            </g>
          );
        }),
      )}
    </svg>
  );
}
