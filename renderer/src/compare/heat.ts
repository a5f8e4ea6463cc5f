// Distance heat map: per-vertex distances → colours on a perceptual ramp, with a robust maximum.

const STOPS: [number, number, number][] = [
  [0.16, 0.2, 0.45], // near: deep blue
  [0.13, 0.55, 0.6], // teal
  [0.45, 0.78, 0.35], // green
  [0.98, 0.8, 0.25], // amber
  [0.9, 0.25, 0.2], // far: red
];

/** t in [0, 1] → linear-ish RGB in [0, 1]. */
export function heatRamp(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i],
    b = STOPS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** The q-quantile of the finite distances (so one stray vertex does not wash out the map). */
export function robustMax(d: Float32Array, q = 0.98): number {
  const v = Array.from(d)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (v.length === 0) return 0;
  return v[Math.min(v.length - 1, Math.floor(q * (v.length - 1)))];
}

export function heatColors(d: Float32Array, max: number): Float32Array {
  const out = new Float32Array(d.length * 3);
  const m = max > 0 ? max : 1;
  for (let i = 0; i < d.length; i++) out.set(heatRamp(d[i] / m), i * 3);
  return out;
}

/** CSS gradient for the legend, matching heatRamp. */
export function heatGradientCss(): string {
  const stops = STOPS.map(
    (c, i) =>
      `rgb(${c.map((x) => Math.round(x * 255)).join(',')}) ${Math.round((i / (STOPS.length - 1)) * 100)}%`,
  );
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}
