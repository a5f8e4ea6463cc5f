// Pareto plot (speed-up vs F1@0.05) drawn as SVG and rasterised to PNG by sharp (libvips' SVG loader).
import sharp from 'sharp';

export type PlotPoint = { label: string; speedup: number; f1: number };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function paretoSvg(points: PlotPoint[], title: string): string {
  const W = 720;
  const H = 480;
  const m = { l: 70, r: 30, t: 70, b: 60 };
  const xs = points.map((p) => p.speedup);
  const xMax = Math.ceil(Math.max(1.5, ...xs) * 1.1 * 2) / 2; // whole half-steps keep ticks round
  const yMin = Math.max(0, Math.floor((Math.min(80, ...points.map((p) => p.f1)) - 5) / 5) * 5);
  const x = (v: number) => m.l + (v / xMax) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - ((v - yMin) / (100 - yMin)) * (H - m.t - m.b);
  // Frontier: points not beaten on both speed-up and F1.
  const frontier = points
    .filter(
      (p) =>
        !points.some(
          (q) => q !== p && q.speedup >= p.speedup && q.f1 >= p.f1 && (q.speedup > p.speedup || q.f1 > p.f1),
        ),
    )
    .sort((a, b) => a.speedup - b.speedup);
  // Labels of nearby points are stacked instead of drawn over each other (12 px text, ~7 px a glyph).
  const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
  const labelAt = (lx: number, ly: number, text: string): [number, number] => {
    const w = text.length * 7;
    for (const dy of [0, 14, -14, 28, -28, 42, -42, 56]) {
      const r = { x0: lx, x1: lx + w, y0: ly + dy - 11, y1: ly + dy + 3 };
      if (!placed.some((q) => r.x0 < q.x1 && q.x0 < r.x1 && r.y0 < q.y1 && q.y0 < r.y1)) {
        placed.push(r);
        return [lx, ly + dy];
      }
    }
    return [lx, ly];
  };
  const ticks = (lo: number, hi: number, n: number) =>
    Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="16">${esc(title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    ...ticks(0, xMax, xMax * 2).map(
      (v) => `<text x="${x(v)}" y="${H - m.b + 18}" text-anchor="middle">${v.toFixed(1)}×</text>`,
    ),
    ...ticks(yMin, 100, (100 - yMin) / 5).map(
      (v) => `<text x="${m.l - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`,
    ),
    `<text x="${W / 2}" y="${H - 15}" text-anchor="middle">speed-up vs full (end to end)</text>`,
    `<text x="18" y="${H / 2}" text-anchor="middle" transform="rotate(-90 18 ${H / 2})">F1@0.05 vs full</text>`,
    `<polyline fill="none" stroke="#d33" stroke-dasharray="4 3" points="${frontier.map((p) => `${x(p.speedup)},${y(p.f1)}`).join(' ')}"/>`,
    ...points.map((p) => {
      const [lx, ly] = labelAt(x(p.speedup) + 8, y(p.f1) - 6, p.label);
      return (
        `<circle cx="${x(p.speedup)}" cy="${y(p.f1)}" r="5" fill="${frontier.includes(p) ? '#d33' : '#36c'}"/>` +
        `<text x="${lx}" y="${ly}">${esc(p.label)}</text>`
      );
    }),
    '</svg>',
  ];
  return parts.join('\n');
}

export async function paretoPng(points: PlotPoint[], title: string): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(Buffer.from(paretoSvg(points, title)))
      .png()
      .toBuffer(),
  );
}
