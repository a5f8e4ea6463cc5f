import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../sparse/testing.ts';
import { dilate, flood } from './grid3.ts';

/** The flood by definition: repeat "a free cell on a face, or next to a flooded cell, is flooded". */
function slowFlood(walls: Uint8Array, side: number): Uint8Array {
  const out = new Uint8Array(walls.length);
  const at = (x: number, y: number, z: number) => (x * side + y) * side + z;
  for (let changed = true; changed;) {
    changed = false;
    for (let x = 0; x < side; x++)
      for (let y = 0; y < side; y++)
        for (let z = 0; z < side; z++) {
          const i = at(x, y, z);
          if (walls[i] || out[i]) continue;
          const onFace = [x, y, z].some((c) => c === 0 || c === side - 1);
          const near = [
            [x - 1, y, z],
            [x + 1, y, z],
            [x, y - 1, z],
            [x, y + 1, z],
            [x, y, z - 1],
            [x, y, z + 1],
          ].some(
            ([a, b, c]) => a >= 0 && b >= 0 && c >= 0 && a < side && b < side && c < side && out[at(a, b, c)],
          );
          if (onFace || near) {
            out[i] = 1;
            changed = true;
          }
        }
  }
  return out;
}

describe('grid3', () => {
  it('floods what the faces reach through free cells, on grids of several sizes in turn', () => {
    const rng = mulberry32(4);
    for (const side of [1, 2, 7, 12, 13, 12]) {
      for (const density of [0.2, 0.45]) {
        const walls = Uint8Array.from({ length: side ** 3 }, () => (rng() < density ? 1 : 0));
        expect(Array.from(flood(walls, side))).toEqual(Array.from(slowFlood(walls, side)));
      }
    }
  });

  it('does not flood a sealed cavity, and dilation by 1 reaches the 26 neighbours', () => {
    const side = 7;
    const walls = new Uint8Array(side ** 3);
    const at = (x: number, y: number, z: number) => (x * side + y) * side + z;
    for (let x = 1; x <= 5; x++)
      for (let y = 1; y <= 5; y++) for (let z = 1; z <= 5; z++) walls[at(x, y, z)] = 1;
    walls[at(3, 3, 3)] = 0;
    const out = flood(walls, side);
    expect(out[at(3, 3, 3)]).toBe(0);
    expect(out[at(0, 3, 3)]).toBe(1);
    const one = new Uint8Array(side ** 3);
    one[at(3, 3, 3)] = 1;
    expect(dilate(one, side, 1).reduce((a, b) => a + b, 0)).toBe(27);
  });
});
