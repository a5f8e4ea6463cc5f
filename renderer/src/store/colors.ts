// Object colours: distinct on a dark background and on photos, assigned in order.
export const OBJECT_COLORS = [
  '#4f8cff',
  '#f2a33a',
  '#35c98e',
  '#e8596c',
  '#a47cf3',
  '#3fc3d6',
  '#d8cf48',
  '#ee7fbf',
] as const;

export function objectColor(index: number): string {
  return OBJECT_COLORS[index % OBJECT_COLORS.length];
}

/** '#rrggbb' → [r, g, b] in 0..255. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
