import { fmtNum } from '../lib/format';
import { heatGradientCss } from './heat';

/** Colour scale of the distance heat map (distances in object units: the object spans about 1). */
export function HeatLegend({ max }: { max: number }) {
  return (
    <div className="legend" data-testid="heat-legend">
      <div>Distance to A’s surface</div>
      <div className="legend-bar" style={{ background: heatGradientCss() }} />
      <div className="legend-scale">
        <span>0</span>
        <span>{fmtNum(max / 2, 2)}</span>
        <span>≥ {fmtNum(max, 2)}</span>
      </div>
    </div>
  );
}
