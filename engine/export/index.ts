// Public surface of the exporters.
export { atomicWrite, fsErrorToUserError } from './atomic-write.ts';
export { meshToGlb, writeGlb, type GlbOptions } from './glb.ts';
export { meshToPly, plyHeader, type MeshPlyOptions } from './ply.ts';
export {
  activateGaussians,
  gaussiansToPly,
  hammersley,
  offsetPerturbation,
  radicalInverse,
  GS_VIEWER_TRANSFORM,
  type GaussianPlyOptions,
  type PlyGaussians,
} from './gaussians.ts';
export {
  poseToGltfMatrix,
  PYTORCH3D_TO_GLTF_CAMERA,
  Z_UP_TO_Y_UP,
  type Mat3,
  type ObjectPose,
} from './frames.ts';
export { GENERATOR, type ExportMesh } from './mesh.ts';
