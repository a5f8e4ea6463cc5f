// Node bootstrap for the engine worker: compiles the TypeScript sources on the fly with tsx (like
// bin/fsam3d.mjs), so the repository needs no build step. A bundled app runs a compiled worker instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
