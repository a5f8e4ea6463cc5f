import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const TEST_PACK = fileURLToPath(new URL('../../resources/packs/test', import.meta.url));
export const SAMPLE_PHOTO = fileURLToPath(new URL('../../resources/samples/test/photo.png', import.meta.url));
export const SAMPLE_MASK = fileURLToPath(new URL('../../resources/samples/test/mask.png', import.meta.url));
export const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../../resources/fixtures/test-pack/${name}`, import.meta.url));
