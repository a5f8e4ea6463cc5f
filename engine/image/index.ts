export * from './crop.ts';
export * from './decode.ts';
export * from './exif.ts';
export * from './preprocess.ts';
export * from './resize.ts';
