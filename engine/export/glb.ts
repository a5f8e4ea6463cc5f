// Mesh → GLB through @gltf-transform (doc 1.12 "Default GLB", 3.8). Vertices are rotated z-up → y-up;
// colours go to COLOR_0 as normalised uint8 VEC4 (4-byte aligned, accepted by gltf-validator,
// three.js and Blender's importer).
import {
  Document,
  NodeIO,
  type Accessor,
  type Buffer,
  type Primitive,
  type mat4,
} from '@gltf-transform/core';
import { compactPrimitive, weld } from '@gltf-transform/functions';
import { MeshoptSimplifier } from 'meshoptimizer';
import { atomicWrite } from './atomic-write.ts';
import { applyRows, assertRotation, poseToGltfMatrix, toM3, type Mat3, type ObjectPose } from './frames.ts';
import { checkMesh, GENERATOR, toU8, type ExportMesh } from './mesh.ts';

export interface GlbOptions {
  /** z-up → y-up rotation applied to the vertices as v·M; pass Z_UP_TO_Y_UP for the reference. */
  zUpToYUp: Mat3;
  /** Object pose (doc 1.9). Only written into the file when `placeInCamera` is true. */
  pose?: ObjectPose;
  /**
   * Put the pose in the node transform so the object sits in the glTF camera frame (camera at the
   * origin, +x right, +y up, looking down −z, metres); see poseToGltfMatrix. Default false: the node
   * is identity and the mesh stays the 1 m canonical object, like the reference.
   */
  placeInCamera?: boolean;
  /** Merge bitwise-identical vertices first (helps triangle soups; FlexiCubes output is indexed). */
  weld?: boolean;
  /** Simplify to about this many faces (meshoptimizer, colour-aware). Ignored when ≥ the face count. */
  targetFaces?: number;
  /** Add smooth (area-weighted) vertex normals. */
  normals?: boolean;
}

/** Weight of each colour channel against position error in the simplifier (meshopt guidance ~0.5–1). */
const COLOR_WEIGHT = 0.5;

export async function meshToGlb(mesh: ExportMesh, options: GlbOptions): Promise<Uint8Array> {
  const [nV, nF] = checkMesh(mesh);
  const m = toM3(options.zUpToYUp, 'zUpToYUp');
  assertRotation(m, 'zUpToYUp');
  if (options.placeInCamera && !options.pose) throw new Error('placeInCamera needs options.pose');
  const target = options.targetFaces;
  if (target !== undefined && !(Number.isInteger(target) && target >= 1))
    throw new Error(`targetFaces: expected a positive integer, got ${target}`);

  const doc = new Document();
  doc.getRoot().getAsset().generator = GENERATOR;
  const buffer = doc.createBuffer();

  const rgba = new Uint8Array(nV * 4);
  for (let i = 0; i < nV; i++) {
    rgba[i * 4] = toU8(mesh.colors[i * 3]);
    rgba[i * 4 + 1] = toU8(mesh.colors[i * 3 + 1]);
    rgba[i * 4 + 2] = toU8(mesh.colors[i * 3 + 2]);
    rgba[i * 4 + 3] = 255;
  }
  const prim = doc
    .createPrimitive()
    .setAttribute(
      'POSITION',
      doc.createAccessor().setType('VEC3').setArray(applyRows(mesh.vertices, m)).setBuffer(buffer),
    )
    .setAttribute(
      'COLOR_0',
      doc.createAccessor().setType('VEC4').setArray(rgba).setNormalized(true).setBuffer(buffer),
    )
    .setIndices(
      doc.createAccessor().setType('SCALAR').setArray(new Uint32Array(mesh.faces)).setBuffer(buffer),
    )
    .setMaterial(
      // The glTF default material is fully metallic, which renders vertex colours nearly black.
      doc.createMaterial('vertex-colour').setMetallicFactor(0).setRoughnessFactor(1).setDoubleSided(true),
    );
  const node = doc.createNode('object').setMesh(doc.createMesh('object').addPrimitive(prim));
  doc.createScene('scene').addChild(node);
  doc.getRoot().setDefaultScene(doc.getRoot().listScenes()[0]);

  if (options.weld) await doc.transform(weld());
  if (target !== undefined && target < nF) await simplifyColoured(doc, prim, buffer, target);
  if (options.normals) prim.setAttribute('NORMAL', smoothNormals(doc, prim, buffer));
  const indices = prim.getIndices()!;
  // gltf-transform narrows indices to uint16 when it can; the contract here is uint32.
  if (!(indices.getArray() instanceof Uint32Array)) indices.setArray(new Uint32Array(indices.getArray()!));
  for (const a of doc.getRoot().listAccessors()) if (a.listParents().length <= 1) a.dispose(); // root only: unused

  if (options.placeInCamera && options.pose)
    node.setMatrix(poseToGltfMatrix(options.pose, m) as unknown as mat4);

  return new NodeIO().writeBinary(doc);
}

export async function writeGlb(path: string, mesh: ExportMesh, options: GlbOptions): Promise<void> {
  await atomicWrite(path, await meshToGlb(mesh, options));
}

async function simplifyColoured(
  doc: Document,
  prim: Primitive,
  buffer: Buffer,
  targetFaces: number,
): Promise<void> {
  await MeshoptSimplifier.ready;
  const positions = prim.getAttribute('POSITION')!.getArray() as Float32Array;
  const rgba = prim.getAttribute('COLOR_0')!.getArray() as Uint8Array;
  const nV = positions.length / 3;
  const rgb = new Float32Array(nV * 3);
  for (let i = 0; i < nV; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = rgba[i * 4 + k] / 255;
  const src = prim.getIndices()!;
  const [dst] = MeshoptSimplifier.simplifyWithAttributes(
    new Uint32Array(src.getArray()!),
    positions,
    3,
    rgb,
    3,
    [COLOR_WEIGHT, COLOR_WEIGHT, COLOR_WEIGHT],
    null,
    targetFaces * 3,
    1, // error bound off: the caller asked for a face budget, not a quality bound
  );
  prim.setIndices(doc.createAccessor().setType('SCALAR').setArray(new Uint32Array(dst)).setBuffer(buffer));
  src.dispose();
  compactPrimitive(prim); // drop vertices no face uses any more
}

/** Area-weighted smooth normals (unnormalised face cross products summed per vertex). */
function smoothNormals(doc: Document, prim: Primitive, buffer: Buffer): Accessor {
  const p = prim.getAttribute('POSITION')!.getArray() as Float32Array;
  const idx = prim.getIndices()!.getArray()!;
  const acc = new Float64Array(p.length);
  for (let f = 0; f < idx.length; f += 3) {
    const a = idx[f] * 3,
      b = idx[f + 1] * 3,
      c = idx[f + 2] * 3;
    const ux = p[b] - p[a],
      uy = p[b + 1] - p[a + 1],
      uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a],
      vy = p[c + 1] - p[a + 1],
      vz = p[c + 2] - p[a + 2];
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    acc[a] += nx;
    acc[a + 1] += ny;
    acc[a + 2] += nz;
    acc[b] += nx;
    acc[b + 1] += ny;
    acc[b + 2] += nz;
    acc[c] += nx;
    acc[c + 1] += ny;
    acc[c + 2] += nz;
  }
  const n = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    const len = Math.hypot(acc[i], acc[i + 1], acc[i + 2]);
    // glTF requires unit normals; a vertex touching only degenerate faces gets +y.
    if (len > 0) {
      n[i] = acc[i] / len;
      n[i + 1] = acc[i + 1] / len;
      n[i + 2] = acc[i + 2] / len;
    } else n[i + 1] = 1;
  }
  return doc.createAccessor().setType('VEC3').setArray(n).setBuffer(buffer);
}
