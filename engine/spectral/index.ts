export { fftn, isPow2, nextPow2, signedFreq } from './fft.ts';
export { grayU8, hann, hfer2dFromCrop, hfer2dFromGray, HFER2D_RADIUS_RATIO, HFER2D_SIZE } from './hfer2d.ts';
export { analyzeVoxelFrequency, HFER3D_RADIUS, type VoxelFrequency } from './hfer3d.ts';
export { resizeAreaU8 } from './resize-area.ts';
