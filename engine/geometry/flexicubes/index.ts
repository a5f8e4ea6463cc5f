export { extractFlexiCubes } from './extract.ts';
export type { ChannelRange, FlexiCubesInput, FlexiCubesLayout, FlexiCubesMesh } from './types.ts';
export { CHECK_TABLE, CUBE_EDGES, DMC_TABLE, NUM_VD_TABLE } from './tables.ts';
