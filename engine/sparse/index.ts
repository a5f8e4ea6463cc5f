export { VoxelHash, voxelKey } from './hash.ts';
export { neighbourMap, offsetIndex, OFFSETS } from './neighbours.ts';
export { poolBy2, type Pooling } from './pool.ts';
export { windowPartition, type WindowPartition } from './windows.ts';
export { subdivide, type Subdivision } from './subdivide.ts';
export {
  buildSlatStructures,
  subsetSlatStructures,
  buildDecoderStructures,
  type SlatStructures,
  type DecoderStructures,
} from './structures.ts';
