import { describe, expect, it } from 'vitest';
import { meshToPly } from './ply.ts';
import { Z_UP_TO_Y_UP } from './frames.ts';
import { cube, splitPly } from './test-meshes.ts';

describe('meshToPly', () => {
  it('writes a binary little-endian PLY with coloured vertices and triangle faces', () => {
    const mesh = cube();
    const { lines, body, bodyLength } = splitPly(meshToPly(mesh));
    expect(lines[0]).toBe('ply');
    expect(lines[1]).toBe('format binary_little_endian 1.0');
    expect(lines).toContain('element vertex 8');
    expect(lines).toContain('element face 12');
    expect(lines.filter((l) => l.startsWith('property float'))).toEqual([
      'property float x',
      'property float y',
      'property float z',
    ]);
    expect(lines.filter((l) => l.startsWith('property uchar'))).toEqual([
      'property uchar red',
      'property uchar green',
      'property uchar blue',
    ]);
    expect(lines).toContain('property list uchar int vertex_indices');
    expect(bodyLength).toBe(8 * 15 + 12 * 13);
    for (let i = 0; i < 8; i++) {
      for (let k = 0; k < 3; k++)
        expect(body.getFloat32(i * 15 + k * 4, true)).toBe(mesh.vertices[i * 3 + k]);
      for (let k = 0; k < 3; k++)
        expect(body.getUint8(i * 15 + 12 + k)).toBe(Math.round(mesh.colors[i * 3 + k] * 255));
    }
    for (let f = 0; f < 12; f++) {
      const o = 8 * 15 + f * 13;
      expect(body.getUint8(o)).toBe(3);
      for (let k = 0; k < 3; k++) expect(body.getInt32(o + 1 + k * 4, true)).toBe(mesh.faces[f * 3 + k]);
    }
  });

  it('can rotate to y-up', () => {
    const mesh = cube();
    const { body } = splitPly(meshToPly(mesh, { rotate: Z_UP_TO_Y_UP }));
    const [x, y, z] = mesh.vertices.subarray(3 * 6, 3 * 6 + 3);
    expect([0, 1, 2].map((k) => body.getFloat32(6 * 15 + k * 4, true))).toEqual([x, z, -y]);
  });
});
